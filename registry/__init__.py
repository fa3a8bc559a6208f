"""System of record of the enabling-resource library and the workflow of the Measures."""

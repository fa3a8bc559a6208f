"""Turns the certified library into matcher indexes and keeps them fresh."""

"""The service: FastAPI app factory, routes, web pages and the `funeng` command line."""

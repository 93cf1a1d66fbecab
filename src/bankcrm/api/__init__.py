"""HTTP layer: the FastAPI app, shared dependencies and error handling."""

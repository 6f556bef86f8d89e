"""The web app (FastAPI) and its presentation helpers."""

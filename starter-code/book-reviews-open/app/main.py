"""The ASGI application: `uvicorn app.main:app`."""

from fastapi import FastAPI

app = FastAPI(title="Book Reviews")

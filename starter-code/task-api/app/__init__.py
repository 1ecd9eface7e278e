"""Task API service."""

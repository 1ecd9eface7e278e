"""The API gateway (port 8000): the only process clients and the grader talk to."""

"""The JSON API under /api/v1 (API.md): controllers parse, call one service, return a schema."""

"""Calls: editions of a kind, created, configured and moved through their lifecycle; deadline
extensions."""

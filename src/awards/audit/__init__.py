"""Tamper evidence for the audit trail: a hash chain per call, and its verification."""

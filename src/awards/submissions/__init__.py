"""Submissions: drafts, answers, their lifecycle and history."""

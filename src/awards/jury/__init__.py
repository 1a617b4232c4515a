"""The jury: panels, conflicts, assignment, anonymised dossiers, reviews, ranking."""

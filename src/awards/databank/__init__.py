"""The public databank: published experiences, their search, feeds and open-data exports."""

"""The nameh document pipeline (issue 4): scans in, metadata.csv out. Not built yet."""

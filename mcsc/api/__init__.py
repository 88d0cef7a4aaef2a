"""The reference data REST API and the URL table of every ``mcsc`` endpoint, councils'
meetings included."""

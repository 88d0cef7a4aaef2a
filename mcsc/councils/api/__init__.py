"""The meetings REST API (``/api/v1/meetings/``): thin views over ``mcsc.councils``
selectors; wired in ``mcsc/api/urls.py``."""

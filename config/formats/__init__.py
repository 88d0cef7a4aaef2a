"""Date, time and number formats where Django's own differ from what the product promises:
day first and a 24-hour clock in every interface language (``FORMAT_MODULE_PATH``)."""

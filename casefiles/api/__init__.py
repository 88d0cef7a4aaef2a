"""The REST API of cases: thin views over ``casefiles.services`` and ``casefiles.selectors``."""

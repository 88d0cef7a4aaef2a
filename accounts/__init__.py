"""Accounts: how people and programs sign in, and the guards around it.

It holds the second factor (TOTP with recovery codes, through django-otp), sign-in
throttling and lockout (django-axes), the password policy's service, session timeouts,
and the API tokens (``ApiToken``: hashed, expiring, revocable) with their DRF
authentication class and endpoints. Sign-ins, sign-outs, failures, lockouts, password
changes, second-factor changes and tokens each write one audit event.

It may import ``mcsc`` (roles, scope, the form base, role-removal hook) and
``casefiles.audit.chain`` / ``casefiles.models`` (the audit trail). Only ``config`` imports
it (URLs; settings name its middleware, backends and callables as strings).
"""

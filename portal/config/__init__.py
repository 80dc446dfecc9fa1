"""The larger groups of settings, built from values portal/settings.py reads from the
environment: each function takes what it needs and returns settings, so portal/settings.py
stays the one list of every setting. Nothing here reads django.conf.settings."""

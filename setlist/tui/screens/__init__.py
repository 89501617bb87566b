"""Screens: the main screen with its views, and the dialogs and panels pushed over it."""

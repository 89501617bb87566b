"""Widgets of the app: the views and the pieces they are made of."""

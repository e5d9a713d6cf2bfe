"""Screens of the app: the main tracker screen and its modal dialogs."""

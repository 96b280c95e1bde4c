"""Casustafel desktop app (PySide6): thin adapters over ``app.services``."""

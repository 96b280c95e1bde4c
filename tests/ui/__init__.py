"""Tests of the PySide6 desktop app (offscreen Qt, real encrypted demo stores)."""

"""Casustafel core: domain, encrypted store, policy, services and reports (Qt-free)."""

__version__ = "0.1.0"

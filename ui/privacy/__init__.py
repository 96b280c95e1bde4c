"""The privacy officer's workbench (issue 11): registers, requests, breaches, figures."""

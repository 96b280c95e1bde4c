"""The synthetic demo: plausible cases for every profile, as an import document.

Not a use case of the product: it builds data for ``casustafel demo``, the app's
``--demo`` (:mod:`app.demo.desktop`), the benches and the tests (see
:mod:`app.demo.generator`).
"""

from app.demo.desktop import DEMO_PASSPHRASE, create_app_demo, demo_chair
from app.demo.generator import (
    CLOSED_AGES_MONTHS,
    DemoData,
    Generator,
    create_demo_store,
    generate_demo,
)

__all__ = [
    "CLOSED_AGES_MONTHS",
    "DEMO_PASSPHRASE",
    "DemoData",
    "Generator",
    "create_app_demo",
    "create_demo_store",
    "demo_chair",
    "generate_demo",
]

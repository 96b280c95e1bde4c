"""The synthetic demo: plausible cases for every profile, as an import document.

Not a use case of the product: it builds data for ``casustafel demo``, the app's
``--demo``, the benches and the tests (see :mod:`app.demo.generator`).
"""

from app.demo.generator import (
    CLOSED_AGES_MONTHS,
    DemoData,
    Generator,
    create_demo_store,
    generate_demo,
)

__all__ = ["CLOSED_AGES_MONTHS", "DemoData", "Generator", "create_demo_store", "generate_demo"]

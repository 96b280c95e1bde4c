"""The import format (``docs/import-format.md``): validation and the all-or-nothing load.

A subsystem of its own, not a use case: the administrator's ``casustafel import`` and the
demo load documents through :func:`load_dataset`.
"""

from app.dataset.issues import FORMAT, MAX_ISSUES, VERSION, DatasetIssue
from app.dataset.load import DatasetError, ImportSummary, load_dataset, load_import_file
from app.dataset.validate import validate_dataset

__all__ = [
    "FORMAT",
    "MAX_ISSUES",
    "VERSION",
    "DatasetError",
    "DatasetIssue",
    "ImportSummary",
    "load_dataset",
    "load_import_file",
    "validate_dataset",
]

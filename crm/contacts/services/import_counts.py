"""The running counts of a contact import (split from ``import_run``)."""

from dataclasses import astuple, dataclass

from crm.contacts.models import ContactImport


@dataclass
class ImportCounts:
    """The rows an import has processed, created, updated, skipped and refused."""

    processed: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0

    def __add__(self, other: "ImportCounts") -> "ImportCounts":
        return ImportCounts(
            *(a + b for a, b in zip(astuple(self), astuple(other), strict=True))
        )

    @classmethod
    def of(cls, contact_import: ContactImport) -> "ImportCounts":
        """Return the counts an import has committed so far."""
        return cls(
            processed=contact_import.processed_rows,
            created=contact_import.created_count,
            updated=contact_import.updated_count,
            skipped=contact_import.skipped_count,
            errors=contact_import.error_count,
        )

    def as_fields(self) -> dict[str, int]:
        return {
            "processed_rows": self.processed,
            "created_count": self.created,
            "updated_count": self.updated,
            "skipped_count": self.skipped,
            "error_count": self.errors,
        }

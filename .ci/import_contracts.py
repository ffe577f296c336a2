"""The project's own import-linter contract type: what a package MAY import (an allow-list).

import-linter's `forbidden` contracts list what a package must not import, so a library
nobody thought of (networkx, scikit-learn) passes them. An `allowed` contract lists what it
may import instead, and every other direct import breaks it:

    [[tool.importlinter.contracts]]
    type = "allowed"
    source_modules = ["labelmarket.model.core"]
    allowed_packages = ["numpy", "numba"]       # these and their sub-modules
    allowed_modules = []                        # these modules themselves only
    standard_library = true                     # Python's own modules ...
    except_standard = ["importlib", "pkgutil"]  # ... but these (imports by name)

A package may always import its own modules. Registered in pyproject.toml as
`contract_types = ["allowed: import_contracts.AllowedContract"]`; `.ci/check_layers.py`
puts this folder on the path.
"""

from __future__ import annotations

import sys
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class AllowedContract(Contract):
    """Each source package imports only itself, the packages and modules listed and (if
    asked) the standard library less the modules excepted."""

    type_name = "allowed"
    source_modules = fields.ListField(subfield=fields.ModuleField())
    allowed_packages = fields.ListField(subfield=fields.StringField(), required=False)
    allowed_modules = fields.ListField(subfield=fields.StringField(), required=False)
    standard_library = fields.BooleanField(required=False, default=True)
    except_standard = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: Any, verbose: bool) -> ContractCheck:  # a grimp ImportGraph
        """Every direct import out of a source package that the lists do not allow."""
        found = []
        for source in self.source_modules:
            inside = {source.name} | graph.find_descendants(source.name)
            for importer in sorted(inside):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if imported in inside or self._allowed(imported):
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = sorted({d["line_number"] for d in details})
                    found.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not found, metadata={"illegal": found})

    def _allowed(self, module: str) -> bool:
        """A module the lists allow (a package's sub-modules come with it)."""
        packages = self.allowed_packages or []
        if any(module == p or module.startswith(f"{p}.") for p in packages):
            return True
        if module in (self.allowed_modules or []):
            return True
        top = module.split(".")[0]
        standard = self.standard_library and top in sys.stdlib_module_names
        return standard and top not in (self.except_standard or [])

    def render_broken_contract(self, check: ContractCheck) -> None:
        """One line per import the lists do not allow, with its line numbers."""
        for item in check.metadata["illegal"]:
            where = ", ".join(f"l.{n}" for n in item["lines"])
            output.print_error(
                f"{item['importer']} imports {item['imported']} ({where}): not on its list",
                bold=False,
            )
            output.new_line()

"""A custom import-linter contract (pyproject.toml [tool.importlinter]): apps keep their models to themselves.

A domain app reads another app's records through that app's selectors and changes them through its
services; it never imports the other app's `models` module (a model that links to another app's row
names it as the string "app.Model"). Imports from an app's own tests are ignored: tests build data.
"""

from __future__ import annotations

from importlinter import Contract, ContractCheck, fields, output


class OwnModelsContract(Contract):
    type_name = "own_models"

    apps = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:  # type: ignore[no-untyped-def]
        apps: list[str] = list(self.apps)  # type: ignore[arg-type]
        broken = []
        for app in apps:
            others = [f"{other}.models" for other in apps if other != app]
            for importer in sorted(graph.find_descendants(app) | {app}):
                if importer.startswith(f"{app}.tests"):
                    continue
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if any(imported == m or imported.startswith(m + ".") for m in others):
                        details = graph.get_import_details(importer=importer, imported=imported)
                        lines = ", ".join(str(d["line_number"]) for d in details) or "?"
                        broken.append(f"{importer} imports {imported} (line {lines})")
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["broken"]:
            output.print_error(line, bold=False)
        output.new_line()
        output.print("Read the other app's records through its selectors.py, change them through its services.py.")

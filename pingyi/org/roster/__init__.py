"""Excel roster import and export: columns, cell normalisation, parsing, the import service, the export."""

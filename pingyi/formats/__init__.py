"""One date style per language (settings.FORMAT_MODULE_PATH): pages show every date in it."""

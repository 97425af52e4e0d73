"""Getting data in: readers, header and value mapping, conversion, validation with
quarantine, and the platforms' export formats (``formats/``)."""

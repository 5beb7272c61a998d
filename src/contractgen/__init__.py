"""contractgen: contracten sociaal domein uit één bron van waarheid."""

__version__ = "0.1.0"

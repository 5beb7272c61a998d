"""Form widgets shared by every app of the workplace."""

from __future__ import annotations

from django import forms


class Tekstvak(forms.Textarea):
    """A textarea whose line breaks arrive as the data writes them.

    Browsers send every line break of a textarea as CR LF (HTML's form encoding, "normalize line breaks"), while
    the data and the library's control-character rule know only LF: without this a motivation of two lines is
    refused for a "losse regelterugloop" the person never typed. A CR on its own (old Mac) becomes LF too.
    """

    def value_from_datadict(self, data, files, name):
        waarde = super().value_from_datadict(data, files, name)
        if isinstance(waarde, str):
            return waarde.replace("\r\n", "\n").replace("\r", "\n")
        return waarde

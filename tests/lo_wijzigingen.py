"""Accept or reject every tracked change of Word files in LibreOffice (UNO), write the text.

Run with the system Python that has LibreOffice's `uno` module (/usr/bin/python3), not the
project's venv: `python3 lo_wijzigingen.py UITVOERMAP taak...` where each taak is
`accept:IN.docx:UIT.txt`, `reject:IN.docx:UIT.txt` or `tekst:IN.docx:UIT.txt` (as is). The
text is one paragraph per line in body order, table cells included (LibreOffice's own
paragraph enumeration), tabs and no-break spaces as they are.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def _eigenschap(naam, waarde):
    p = PropertyValue()
    p.Name, p.Value = naam, waarde
    return p


def _alineas(tekst):
    """Every paragraph of a text (and of the tables in it), in order."""
    regels = []
    opsomming = tekst.createEnumeration()
    while opsomming.hasMoreElements():
        el = opsomming.nextElement()
        if el.supportsService("com.sun.star.text.Paragraph"):
            regels.append(el.getString())
        elif el.supportsService("com.sun.star.text.TextTable"):
            for naam in _cellen_op_volgorde(el):
                regels += _alineas(el.getCellByName(naam).getText())
    return regels


def _cellen_op_volgorde(tabel):
    namen = list(tabel.getCellNames())

    def sleutel(naam):
        # 'B12' → (12, 'B'); nested names as 'A1.1.1' are kept in LibreOffice's order
        letters = "".join(c for c in naam if c.isalpha())
        cijfers = "".join(c for c in naam[len(letters):] if c.isdigit() or c == ".")
        return (int(cijfers.split(".")[0] or 0), len(letters), letters)

    return sorted(namen, key=sleutel)


def main():
    profiel = tempfile.mkdtemp(prefix="lo-profiel-")
    pijp = f"cg{os.getpid()}"
    proces = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore",
                               f"-env:UserInstallation=file://{profiel}",
                               f"--accept=pipe,name={pijp};urp;StarOffice.ComponentContext"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lokaal = uno.getComponentContext()
        resolver = lokaal.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", lokaal)
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pijp};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice start niet")
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        for taak in sys.argv[1:]:
            soort, invoer, uitvoer = taak.split(":", 2)
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(invoer)), "_blank", 0,
                                               (_eigenschap("Hidden", True),))
            if soort in ("accept", "reject"):
                commando = ".uno:AcceptAllTrackedChanges" if soort == "accept" else ".uno:RejectAllTrackedChanges"
                dispatcher.executeDispatch(doc.getCurrentController().getFrame(), commando, "", 0, ())
            regels = _alineas(doc.getText())
            doc.close(True)
            with open(uitvoer, "w", encoding="utf-8") as f:
                f.write("\n".join(r.replace("\r", "\n") for r in regels))
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001
            pass
        try:
            proces.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proces.kill()


if __name__ == "__main__":
    main()

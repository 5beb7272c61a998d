"""Ondertekening: the signing loop of a contractpakket.

- `velden`: the signature places of a package and the party each belongs to;
- `vertrouwen`: the trusted roots and CRLs of a region (`contracts_data/<regio>/vertrouwd/*.pem`, `*.crl`);
- `identiteit`: who a certificate is (KvK from organizationIdentifier, gemeente rules in
  `vertrouwd/ondertekenaars.yaml`) and which places it may sign;
- `beleid`: the difference policy (only the manifest's places may be filled; re-written equal objects
  are no change) and the time budget;
- `grenzen`: the limits of one intake (size, revisions, time);
- `pakketten`: which built package a PDF is (current build, an older build, or none);
- `ontvangst`: the assessment of a returned PDF (`contractgen ontvangen`);
- `ondertekenen`: the gemeente's PAdES signature (`contractgen onderteken`);
- `opslag`: signed copies and their records in `<aanbieder>/ondertekend/`;
- `status`: the signing state per aanbieder for `contractgen overzicht`;
- `tijd`: times in Dutch notation.

The commands are in `contractgen.cli.ondertekenen`. `pakketten`, `opslag` and `status` do not
load pyHanko (the build and the overview use them); the others do.

Signing, validation and difference analysis are pyHanko's; this package only decides what
a result means for a contract and says it in Dutch.
"""

from __future__ import annotations

from contractgen.basis.problemen import Weigering


class OndertekeningFout(Weigering):
    """A user error in the signing loop (bad certificate, password, trust file, folder): the Dutch
    message names the file and the reason; the CLI prints it as `fout: ...` with exit 1."""

"""Who signed: the party of a certificate, by rule, per region.

- The **opdrachtnemer**'s places: the certificate names *this* aanbieder's KvK number, as
  organizationIdentifier `NTRNL-<kvk>` (ETSI EN 319 412-1 §5.1.4: type NTR = trade register,
  country NL) compared as a whole, or — when it names no KvK at all — exactly the aanbieder's
  name as organisation (O). A certificate naming another KvK or organisation is another party.
- The **gemeente**'s places: a certificate of a gemeente of the region, by the rules in
  `contracts_data/<regio>/vertrouwd/ondertekenaars.yaml`:

      gemeenten:
        organisaties: ["Gemeente Maastricht", ...]   # exact O; without this key: the region's gemeenten
        kenmerken: ["NTRNL-14000000", ...]            # exact organizationIdentifier
        certificaten: ["3f2a…"]                       # SHA-256 of a named signer's certificate (DER)

- A certificate without organisation and without a matching named certificate (a personal
  certificate) is no party: refused in every organisation place.

Matching is on whole attribute values, never substrings: serialNumber "190000002X" is not KvK 90000002.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from contractgen.basis.namen import display_path
from contractgen.ondertekening import OndertekeningFout
from contractgen.ondertekening import velden as v
from contractgen.ondertekening.vertrouwen import MAP as VERTROUWD_MAP

REGELS = "ondertekenaars.yaml"
# ETSI EN 319 412-1: 3 letters for the kind of register, 2 for the country, optional ':' + state, '-', the id
_ORG_ID = re.compile(r"^(?P<soort>[A-Z]{3})(?P<land>[A-Z]{2})(?::[A-Z0-9]{1,2})?-(?P<nummer>\S+)$")
_KVK = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class Kenmerken:
    """What a certificate subject says about its holder."""

    naam: str  # CN
    organisatie: str  # O, '' when none
    organisatie_id: str  # organizationIdentifier as written, '' when none
    kvk: str  # KvK number from organizationIdentifier NTRNL-<kvk>, '' when none
    vingerafdruk: str  # SHA-256 of the certificate (DER), hex


@dataclass(frozen=True)
class Regels:
    """Who may sign the gemeente's places of one region (see the module doc)."""

    organisaties: frozenset[str]  # normalised (casefold, single spaces)
    kenmerken: frozenset[str]
    certificaten: frozenset[str]
    bron: str  # where the rules come from, for messages
    voorbeeld: tuple[str, ...] = field(default=())  # organisation names as written, for messages


@dataclass(frozen=True)
class Herkenning:
    """The party of a signer (gemeenten | opdrachtnemer | None) and, for None, why not (Dutch)."""

    partij: str | None
    waarom: str = ""


def _norm(tekst: str) -> str:
    return " ".join(str(tekst).split()).casefold()


def _attribuut(cert, naam: str) -> str:
    """One subject attribute as text ('' when absent; several values joined)."""
    try:
        waarde = cert.subject.native.get(naam)
    except Exception:  # noqa: BLE001 - an unparsable subject names nobody
        return ""
    if waarde is None:
        return ""
    return ", ".join(map(str, waarde)) if isinstance(waarde, list) else str(waarde)


def kenmerken(cert) -> Kenmerken:
    """The `Kenmerken` of an asn1crypto certificate."""
    org_id = _attribuut(cert, "organization_identifier").strip()
    m = _ORG_ID.match(org_id)
    kvk = m.group("nummer") if m and m.group("soort") == "NTR" and m.group("land") == "NL" else ""
    return Kenmerken(_attribuut(cert, "common_name"), _attribuut(cert, "organization_name").strip(), org_id,
                     kvk if _KVK.match(kvk) else "", hashlib.sha256(cert.dump()).hexdigest())


def lees_regels(regio_map: Path | None, regio) -> Regels:
    """The rules for the gemeente's places of a region (`regio`: its Regio, for the default names).

    Raises OndertekeningFout naming file and line when `vertrouwd/ondertekenaars.yaml` is malformed.
    """
    standaard = [g.naam for g in getattr(regio, "gemeenten", [])] + ([regio.naam] if regio is not None else [])
    pad = Path(regio_map) / VERTROUWD_MAP / REGELS if regio_map is not None else None
    if pad is None or not pad.is_file():
        return Regels(frozenset(map(_norm, standaard)), frozenset(), frozenset(),
                      "de gemeenten in regio.yaml", tuple(standaard))

    naam = display_path(pad)
    try:
        inhoud = YAML(typ="safe").load(pad.read_text(encoding="utf-8"))
    except MarkedYAMLError as fout:
        regel = fout.problem_mark.line + 1 if fout.problem_mark else "?"
        raise OndertekeningFout(f"{naam}, regel {regel}: geen geldige YAML ({fout.problem})") from fout
    except (OSError, UnicodeDecodeError) as fout:
        raise OndertekeningFout(f"{naam}: kan het bestand niet lezen ({fout})") from fout
    gemeenten = (inhoud or {}).get("gemeenten") if isinstance(inhoud, dict) else None
    if not isinstance(gemeenten, dict):
        raise OndertekeningFout(f"{naam}: verwacht een sleutel 'gemeenten:' met organisaties, kenmerken en/of "
                                f"certificaten")

    def lijst(sleutel: str, anders: list[str]) -> list[str]:
        waarde = gemeenten.get(sleutel, anders)
        if not isinstance(waarde, list) or not all(isinstance(w, (str, int)) for w in waarde):
            raise OndertekeningFout(f"{naam}: gemeenten.{sleutel} moet een lijst met tekst zijn, zoals "
                                    f"[\"Gemeente Maastricht\"]; gevonden: {waarde!r}")
        return [str(w).strip() for w in waarde]

    organisaties = lijst("organisaties", standaard)
    certificaten = [c.lower().replace(":", "") for c in lijst("certificaten", [])]
    for c in certificaten:
        if not re.fullmatch(r"[0-9a-f]{64}", c):
            raise OndertekeningFout(f"{naam}: gemeenten.certificaten: '{c}' is geen SHA-256-vingerafdruk (64 "
                                    f"hexadecimale tekens)")
    return Regels(frozenset(map(_norm, organisaties)), frozenset(lijst("kenmerken", [])), frozenset(certificaten),
                  naam, tuple(organisaties))


def herken_ondertekenaar(cert, aanbieder, regels: Regels | None) -> Herkenning:
    """The party of the holder of `cert` for this package (`aanbieder`: the Aanbieder, or None)."""
    k = kenmerken(cert)
    if regels is not None and (k.vingerafdruk in regels.certificaten
                               or (k.organisatie_id and k.organisatie_id in regels.kenmerken)
                               or (k.organisatie and _norm(k.organisatie) in regels.organisaties)):
        return Herkenning(v.GEMEENTE)
    if aanbieder is not None:
        kvk = str(aanbieder.kvk or "").strip()
        if k.kvk:
            if kvk and k.kvk == kvk:
                return Herkenning(v.OPDRACHTNEMER)
            return Herkenning(None, f"het certificaat noemt KvK {k.kvk}"
                                    f"{' (' + k.organisatie + ')' if k.organisatie else ''}, niet KvK {kvk} van "
                                    f"{aanbieder.naam}")
        if k.organisatie and _norm(k.organisatie) == _norm(aanbieder.naam):
            return Herkenning(v.OPDRACHTNEMER)
    if not k.organisatie and not k.organisatie_id:
        return Herkenning(None, "het certificaat is persoonlijk: het noemt geen organisatie en geen KvK-nummer")
    wie = k.organisatie or k.organisatie_id
    verwacht = f"KvK {aanbieder.kvk} ({aanbieder.naam})" if aanbieder is not None else "de aanbieder"
    gemeenten = ", ".join(regels.voorbeeld) if regels is not None and regels.voorbeeld else "geen"
    return Herkenning(None, f"het certificaat noemt organisatie '{wie}': niet {verwacht} en geen gemeente volgens "
                            f"{regels.bron if regels else 'de regio'} ({gemeenten})")


def past(plaats_partij: str | None, h: Herkenning) -> bool:
    """Whether a signer recognised as `h` may fill a place of `plaats_partij` (paraaf: either party)."""
    if h.partij is None:
        return False
    return plaats_partij == v.PARAAF or plaats_partij == h.partij

"""Stage 1, load: YAML files → plain data that remembers file, line and column.

PyYAML's SafeLoader is extended so that mappings and lists carry the position of
each entry, duplicate keys are reported instead of silently overwritten, and every
problem (syntax, encoding, empty file) becomes a Dutch `Probleem`.

Plain scalars are resolved by the YAML 1.2 core schema, not PyYAML's YAML 1.1 one:
`NO`, `on`, `8:30` and `2018-01-01` stay text (the model parses dates where it types
them so), `010` is ten, not eight; and every number keeps the text as typed (`Geheel`,
`Kommagetal` in basis.posities), so a text field gets "10.10" and "0773456712", never
10.1 or 133062090. Booleans and null keep their source text in `LocDict.ruw` for messages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contractgen.basis.namen import display_path
from contractgen.basis.posities import Geheel, Kommagetal, LocDict, LocList, Positie
from contractgen.basis.problemen import Probleem

MAX_BESTAND_BYTES = 5 * 1024 * 1024  # contract data is text; larger is a mistake
MAX_DIEPTE = 50  # nesting levels; contract data needs far fewer, deeper is hostile (stack overflow)
MAX_WAARDEN = 1_000_000  # values after expanding aliases (*naam); more is an alias bomb, not data
# Text that LibreOffice lays out: a "word" of 100,000 characters (no place to break a line) made it hang on
# every document. The longest real ones are web addresses (~200); a real paragraph is at most a few thousand.
MAX_WOORD = 500  # characters without a space
MAX_ALINEA = 20_000  # characters between empty lines


def _plaats(node: yaml.Node) -> Positie:
    return Positie(node.start_mark.line + 1, node.start_mark.column + 1)


_SURROGAAT = re.compile("[\ud800-\udfff]")


class _Grens(yaml.MarkedYAMLError):
    """The file exceeds a safety limit (nesting depth, alias expansion)."""


class _Waarde(yaml.constructor.ConstructorError):
    """A tagged value that PyYAML cannot convert (`!!int x`); the message is already Dutch."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that records positions and duplicate keys, and refuses hostile nesting."""

    def __init__(self, stream: str, bestand: str):
        super().__init__(stream)
        self.bestand = bestand
        self.problemen: list[Probleem] = []
        self._diepte = 0
        self._maat: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth) with aliases expanded

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook: depth and alias limits
        if self._diepte >= MAX_DIEPTE:
            raise _Grens(None, None, f"te diep genest (meer dan {MAX_DIEPTE} niveaus)", self.peek_event().start_mark)
        self._diepte += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._diepte -= 1
        if isinstance(node, yaml.ScalarNode):
            return node  # counts as (1, 1): not stored
        if isinstance(node, yaml.SequenceNode):
            kinderen = node.value
        else:
            kinderen = [n for paar in node.value for n in paar]
        maten = [self._maat.get(id(k), (1, 1)) for k in kinderen]  # scalars, and an alias to a node being built
        maat = (1 + sum(m[0] for m in maten), 1 + max((m[1] for m in maten), default=0))
        self._maat[id(node)] = maat
        if maat[0] > MAX_WAARDEN:
            raise _Grens(None, None, f"het bestand bevat na het uitvouwen van aliassen (*naam) meer dan "
                         f"{MAX_WAARDEN} waarden; schrijf de gegevens zonder aliassen", node.start_mark)
        if maat[1] > MAX_DIEPTE:
            raise _Grens(None, None, f"te diep genest via aliassen (meer dan {MAX_DIEPTE} niveaus)", node.start_mark)
        return node

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        if not isinstance(node, yaml.MappingNode):
            return yaml.constructor.SafeConstructor.construct_mapping(self, node, deep)
        self.flatten_mapping(node)
        result = LocDict()
        result.plaats = _plaats(node)
        result.sleutels = {}
        result.ruw = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                self.problemen.append(
                    Probleem(self.bestand, *_regel_kolom(key_node), "",
                             "een sleutel moet tekst zijn")
                )
                continue
            key = getattr(key, "ruw", None) or (str(key) if not isinstance(key, str) else key)
            if key in result:
                eerste = result.sleutels[key]
                self.problemen.append(
                    Probleem(
                        self.bestand, *_regel_kolom(key_node), key,
                        f"dubbele sleutel '{key}' (eerder op regel {eerste.regel}); "
                        "een sleutel mag maar één keer voorkomen",
                    )
                )
                continue
            waarde = result[key] = self.construct_object(value_node, deep=True)
            result.sleutels[key] = _plaats(key_node)
            if waarde is None or isinstance(waarde, bool):
                result.ruw[key] = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
        return result

    def construct_sequence(self, node, deep=False):  # noqa: D102 - PyYAML hook
        result = LocList(self.construct_object(child, deep=True) for child in node.value)
        result.plaats = _plaats(node)
        result.items = [_plaats(child) for child in node.value]
        result.ruw = {i: child.value for i, (child, waarde) in enumerate(zip(node.value, result))
                      if (waarde is None or isinstance(waarde, bool)) and isinstance(child, yaml.ScalarNode)}
        return result

    def construct_scalar(self, node):  # noqa: D102 - PyYAML hook: no half characters from "\uD800" escapes
        waarde = super().construct_scalar(node)
        if isinstance(waarde, str) and len(waarde) > MAX_WOORD:
            _begrens(self, waarde, node)
        if isinstance(waarde, str) and not waarde.isascii() and _SURROGAAT.search(waarde):
            try:  # a JSON-style pair "\ud83d\ude00" is one character (😀)
                waarde = waarde.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                raise _Waarde(None, None, "een losse \\uD800-\\uDFFF-escape (een half teken, geen tekst); schrijf "
                                          "het teken zelf of als \\U-escape", node.start_mark) from None
        return waarde

    def construct_object(self, node, deep=False):  # noqa: D102 - PyYAML hook
        try:
            return yaml.constructor.SafeConstructor.construct_object(self, node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            # PyYAML lets a bad explicitly tagged value through as a Python error: !!int x, !!bool x
            label = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise _Waarde(None, None, f"ongeldige waarde voor het label {label}; laat het label weg of zet "
                                      "de tekst tussen aanhalingstekens", node.start_mark) from exc

    def construct_yaml_timestamp(self, node):  # noqa: D102 - PyYAML hook, only for an explicit !!timestamp
        # A date that does not exist (2018-02-30) stays text; the model reports it.
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_kern_int(self, node):  # noqa: D102 - YAML 1.2 core: decimal, 0o octal, 0x hex
        tekst = self.construct_scalar(node)
        kaal = tekst.strip()
        if re.fullmatch(r"0o[0-7]+", kaal):
            return Geheel(int(kaal[2:], 8), tekst)
        if re.fullmatch(r"0x[0-9a-fA-F]+", kaal):
            return Geheel(int(kaal[2:], 16), tekst)
        return Geheel(int(kaal, 10), tekst)  # ValueError (an explicit !!int x) becomes a Dutch message

    def construct_kern_float(self, node):  # noqa: D102 - YAML 1.2 core
        tekst = self.construct_scalar(node)
        kaal = tekst.strip().lower()
        speciaal = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
        return Kommagetal(float(speciaal.get(kaal, kaal)), tekst)

    def construct_kern_bool(self, node):  # noqa: D102 - YAML 1.2 core: true/false only, not yes/no/on/off
        tekst = self.construct_scalar(node)
        if tekst.strip().lower() not in ("true", "false"):
            raise ValueError(tekst)
        return tekst.strip().lower() == "true"


def _begrens(loader: Any, tekst: str, node: yaml.Node) -> None:
    """A problem (at the value's line) for a word or paragraph longer than LibreOffice can lay out."""
    woord = max(re.findall(r"\S+", tekst), key=len, default="")
    if len(woord) > MAX_WOORD:
        loader.problemen.append(Probleem(loader.bestand, *_regel_kolom(node), "",
                                         f"een woord van {len(woord)} tekens zonder spatie ('{woord[:30]}...'); "
                                         f"verwacht hoogstens {MAX_WOORD} (zo'n woord past op geen regel en laat het "
                                         "maken van de PDF vastlopen)"))
        return
    alinea = max(re.split(r"\n\s*\n", tekst), key=len, default="")
    if len(alinea) > MAX_ALINEA:
        loader.problemen.append(Probleem(loader.bestand, *_regel_kolom(node), "",
                                         f"een alinea van {len(alinea)} tekens; verwacht hoogstens {MAX_ALINEA} "
                                         "(splits de tekst in alinea's met een lege regel ertussen)"))


def _regel_kolom(node: yaml.Node) -> tuple[int, int]:
    p = _plaats(node)
    return p.regel, p.kolom


KERN_SCHEMA = [  # YAML 1.2.2 §10.3.2 (core schema); `<<` merge keys stay as PyYAML reads them
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", ["<"]),
]


def _kern(cls) -> None:
    """Give a loader class the core-schema resolvers and constructors (both parsers share them)."""
    cls.yaml_implicit_resolvers = {}
    for tag, patroon, eerste in KERN_SCHEMA:
        cls.add_implicit_resolver(tag, re.compile(patroon), eerste)
    cls.add_constructor("tag:yaml.org,2002:map", cls.construct_mapping)
    cls.add_constructor("tag:yaml.org,2002:seq", cls.construct_sequence)
    cls.add_constructor("tag:yaml.org,2002:timestamp", cls.construct_yaml_timestamp)
    cls.add_constructor("tag:yaml.org,2002:int", cls.construct_kern_int)
    cls.add_constructor("tag:yaml.org,2002:float", cls.construct_kern_float)
    cls.add_constructor("tag:yaml.org,2002:bool", cls.construct_kern_bool)


_kern(_Loader)


class KernDumper(yaml.SafeDumper):
    """PyYAML's safe dumper that also quotes every text this loader would type (`0o17`, `.5`), besides
    what YAML 1.1 types (`NO`, `010`): what the tool writes reads back as the same text."""


for _tag, _patroon, _eerste in KERN_SCHEMA:
    KernDumper.add_implicit_resolver(_tag, re.compile(_patroon), _eerste)


_Basis: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


class _SnelLoader(_Basis):
    """libyaml's parser with the same constructors: ~10x faster on the (usual) valid file.

    Only used for files without aliases and without deep nesting; anything unusual, and any
    error, goes through _Loader again so that every message stays exactly the same.
    """

    def __init__(self, stream: str, bestand: str):
        super().__init__(stream)
        self.bestand = bestand
        self.problemen: list[Probleem] = []

    # (the shared methods call SafeConstructor explicitly, not super(), so they work in both classes)
    construct_mapping = _Loader.construct_mapping
    construct_sequence = _Loader.construct_sequence
    construct_object = _Loader.construct_object
    construct_yaml_timestamp = _Loader.construct_yaml_timestamp
    construct_kern_int = _Loader.construct_kern_int
    construct_kern_float = _Loader.construct_kern_float
    construct_kern_bool = _Loader.construct_kern_bool

    def construct_scalar(self, node):  # noqa: D102 - PyYAML hook: the same bounds as _Loader
        waarde = yaml.constructor.SafeConstructor.construct_scalar(self, node)
        if isinstance(waarde, str) and len(waarde) > MAX_WOORD:
            _begrens(self, waarde, node)
        return waarde


_kern(_SnelLoader)


def _snel(text: str, naam: str, pad: Path) -> "Geladen | None":
    """The fast path, or None when the careful path must decide."""
    if not getattr(yaml, "__with_libyaml__", False) or not _vlak(text):
        return None
    loader = _SnelLoader(text, naam)
    try:
        node = loader.get_single_node()
        if node is None or not _boom_zonder_aliassen(node):
            return None
        data = loader.construct_document(node)
    except Exception:  # noqa: BLE001 - any doubt: the careful path reports it
        return None
    finally:
        loader.dispose()
    if data is None:
        return None
    return Geladen(pad, naam, data, loader.problemen)


def _vlak(text: str) -> bool:
    """Cheap bound on nesting (C recursion must never run deep): indentation and brackets."""
    diepte = max_diepte = 0
    for teken in text:
        if teken in "[{":
            diepte += 1
            max_diepte = max(max_diepte, diepte)
        elif teken in "]}":
            diepte -= 1
    inspringing = max((len(r) - len(r.lstrip(" ")) for r in text.splitlines()), default=0)
    return max_diepte < MAX_DIEPTE // 2 and inspringing < MAX_DIEPTE


def _boom_zonder_aliassen(wortel: yaml.Node) -> bool:
    gezien: set[int] = set()
    stapel = [(wortel, 1)]
    while stapel:
        node, diepte = stapel.pop()
        if id(node) in gezien or diepte > MAX_DIEPTE:
            return False  # an alias (shared node) or too deep: let _Loader judge
        gezien.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stapel += [(k, diepte + 1) for k in node.value]
        elif isinstance(node, yaml.MappingNode):
            stapel += [(k, diepte + 1) for paar in node.value for k in paar]
    return True


@dataclass
class Geladen:
    """One loaded file: its data (None when unusable) and what was wrong."""

    pad: Path
    naam: str
    data: Any
    problemen: list[Probleem]


def load_text(text: str, naam: str, pad: Path | None = None) -> Geladen:
    """Parse YAML text; `naam` is how the file is named in messages."""
    pad = pad or Path(naam)
    if not text.isascii():  # the same word is the same bytes: "é" composed or decomposed (a PDF, a Mac)
        text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return Geladen(pad, naam, None, [Probleem(naam, 1, 1, "", "het bestand is leeg; verwacht een YAML-mapping")])
    snel = _snel(text, naam, pad)
    if snel is not None:
        return snel
    loader = None
    try:
        loader = _Loader(text, naam)  # checks for unprintable characters already
        data = loader.get_single_data()
    except _Grens as exc:
        mark = exc.problem_mark
        return Geladen(pad, naam, None, [Probleem(naam, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0,
                                                  "", exc.problem or "")])
    except RecursionError:  # safety net; MAX_DIEPTE should stop this first
        return Geladen(pad, naam, None, [Probleem(naam, 1, 1, "", f"te diep genest (meer dan {MAX_DIEPTE} niveaus)")])
    except yaml.reader.ReaderError as exc:
        regel = text.count("\n", 0, exc.position) + 1
        kolom = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        teken = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return Geladen(pad, naam, None, [Probleem(
            naam, regel, kolom, "", f"ongeldig teken U+{ord(teken):04X} (een onzichtbaar stuurteken); verwijder het")])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        regel, kolom = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        wat = _vertaal_yaml_fout(exc)
        return Geladen(pad, naam, None, [Probleem(naam, regel, kolom, "", f"YAML-syntaxfout: {wat}")])
    except yaml.YAMLError as exc:
        return Geladen(pad, naam, None, [Probleem(naam, 1, 1, "", f"YAML-fout: {exc}")])
    finally:
        if loader is not None:
            loader.dispose()
    if data is None and not loader.problemen:
        return Geladen(pad, naam, None, [Probleem(
            naam, 1, 1, "", "het bestand bevat geen gegevens (alleen commentaar of null); verwacht een YAML-mapping")])
    return Geladen(pad, naam, data, loader.problemen)


def load_file(pad: Path, root: Path | None = None) -> Geladen:
    """Read and parse one YAML file, never raising for bad content."""
    naam = display_path(pad, root)
    try:
        raw = Path(pad).read_bytes()
    except OSError as exc:
        return Geladen(pad, naam, None, [Probleem(naam, 0, 0, "", f"kan het bestand niet lezen: {exc.strerror}")])
    if len(raw) > MAX_BESTAND_BYTES:
        mb = len(raw) / 1024 / 1024
        return Geladen(pad, naam, None, [Probleem(
            naam, 0, 0, "", f"het bestand is te groot ({mb:.1f} MB); verwacht hoogstens "
            f"{MAX_BESTAND_BYTES // 1024 // 1024} MB per bestand")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        regel = raw[: exc.start].count(b"\n") + 1
        kolom = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Geladen(pad, naam, None, [Probleem(
            naam, regel, kolom, "",
            f"ongeldige tekencodering (byte 0x{raw[exc.start]:02x}); sla het bestand op als UTF-8")])
    if text.startswith("\ufeff"):
        text = text[1:]
    return load_text(text, naam, pad)


def _vertaal_yaml_fout(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's English problem text, with a Dutch hint for the common cases."""
    probleem = (exc.problem or "").strip()
    hints = {
        "found character '\\t' that cannot start any token": "een tab mag niet voor inspringing worden gebruikt; gebruik spaties",
        "mapping values are not allowed here": "een ':' op een onverwachte plaats; zet tekst met ': ' tussen aanhalingstekens",
        "could not find expected ':'": "een ':' ontbreekt na een sleutel",
        "found undefined alias": "een alias (*naam) verwijst naar niets",
        "found unexpected end of stream": "het bestand eindigt midden in een waarde; controleer aanhalingstekens",
        "did not find expected key": "onverwachte inspringing of een ontbrekende sleutel",
        "did not find expected '-' indicator": "onverwachte inspringing in een lijst",
        "found unknown escape character": "ongeldige escape (\\) in tekst tussen dubbele aanhalingstekens",
        "but found another document": "het bestand bevat meer dan één YAML-document (---); verwacht er één",
        "found unconstructable recursive node": "een alias (*naam) verwijst naar zichzelf",
        "expected <block end>, but found": "onverwachte tekst; controleer de inspringing en of een aanhalingsteken "
                                           "op een eerdere regel niet is gesloten",
        "found character": "een teken waarmee een waarde niet mag beginnen (zoals @, ` of %); "
                           "zet de tekst tussen aanhalingstekens",
        "invalid indentation or unclosed": "ongeldige inspringing, of een '[' of '{' die niet is gesloten",
        "sequence entries are not allowed here": "een lijstitem ('- ') op een plaats waar dat niet mag; "
                                                 "controleer de inspringing",
        "mapping keys are not allowed here": "een sleutel ('? ') op een plaats waar dat niet mag; controleer de inspringing",
        "expected the node content, but found": "een waarde ontbreekt, of begint met een teken dat dat niet mag "
                                                "(zoals ], } of ,); zet tekst tussen aanhalingstekens",
        "expected ',' or ']', but got": "een ',' of ']' ontbreekt in een lijst tussen [ ]",
        "expected ',' or '}', but got": "een ',' of '}' ontbreekt in een mapping tussen { }",
        "expected '<document start>', but found": "onverwachte tekst na het einde van de gegevens; "
                                                  "controleer de inspringing",
        "expected a comment or a line break, but found": "onverwachte tekst na een waarde; "
                                                         "zet tekst met bijzondere tekens tussen aanhalingstekens",
        "expected chomping or indentation indicators": "na | of > mag alleen -, + of een cijfer staan; "
                                                       "zet de tekst tussen aanhalingstekens",
        "expected indentation indicator": "na | of > mag alleen -, + of een cijfer 1-9 staan",
        "expected alphabetic or numeric character": "na &, * of ! moet een naam van letters of cijfers staan; "
                                                    "zet de tekst tussen aanhalingstekens",
        "expected escape sequence of": "onvolledige \\x-, \\u- of \\U-escape in tekst tussen dubbele aanhalingstekens",
        "found unexpected document separator": "'---' of '...' midden in een waarde; controleer aanhalingstekens",
        "second occurrence": "hetzelfde anker (&naam) komt twee keer voor",
        "found unhashable key": "een sleutel moet tekst zijn",
        "could not determine a constructor for the tag": "onbekend YAML-label (zoals !naam of !!python/...); "
                                                         "verwijder het of zet de tekst tussen aanhalingstekens",
        "expected a mapping for merging": "'<<' (samenvoegen) verwacht een alias naar een mapping",
        "expected a mapping or list of mappings for merging": "'<<' (samenvoegen) verwacht een alias naar een mapping",
        "failed to": "ongeldige base64-gegevens bij !!binary",
    }
    for engels, nederlands in hints.items():
        if probleem.startswith(engels):
            return nederlands
    if isinstance(exc, _Waarde):
        return probleem
    # the rest (YAML directives, tags, !!omap) is rare: a Dutch lead, PyYAML's words for the detail
    return f"onverwachte opbouw (PyYAML: {probleem or exc})"

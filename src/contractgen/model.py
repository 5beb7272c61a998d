"""Stage 2, model: the typed shape of `contracts_data/` (see docs/datamodel.md).

Every model forbids unknown keys, so a typo is an error with a suggestion
(validate.py turns pydantic's errors into Dutch messages with file and line).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

ID_PATROON = r"^[a-z0-9][a-z0-9._-]*$"


def _bedrag(waarde: Any) -> Decimal:
    # Floats are refused: a tariff typed as 16.1 must not become 16.099999...
    if isinstance(waarde, bool) or isinstance(waarde, float):
        raise ValueError("bedrag_als_tekst")
    if isinstance(waarde, int):
        return Decimal(waarde)
    if isinstance(waarde, str) and re.fullmatch(r"\d+(\.\d{1,2})?", waarde.strip()):
        try:
            return Decimal(waarde.strip())
        except InvalidOperation:
            pass
    raise ValueError("bedrag_formaat")


Bedrag = Annotated[Decimal, BeforeValidator(_bedrag)]
Id = Annotated[str, Field(pattern=ID_PATROON)]


def _tekst(waarde: Any) -> Any:
    # YAML turns 90100 or 2018 into numbers; codes and labels are text.
    if isinstance(waarde, bool):
        return waarde
    if isinstance(waarde, (int, float)):
        return str(waarde)
    return waarde


Tekst = Annotated[str, BeforeValidator(_tekst)]


class Strikt(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Looptijd(Strikt):
    van: date
    tot: date

    @model_validator(mode="after")
    def _volgorde(self):
        if self.tot < self.van:
            raise ValueError("looptijd_volgorde")
        return self


class Wijziging(Strikt):
    versie: Tekst
    datum: date
    omschrijving: Tekst


class Bron(Strikt):
    bestand: Tekst
    regels: Tekst | None = None


# --- blokken -------------------------------------------------------------------------


class OpsommingItem(Strikt):
    label: Tekst | None = None
    tekst: Tekst = ""
    items: list[Item] = []


Item = Union[Tekst, OpsommingItem]


class Opsomming(Strikt):
    stijl: Literal["bullet", "streep", "label"] = "bullet"
    items: list[Item]


class Tabel(Strikt):
    kolommen: list[Tekst] = []
    rijen: list[list[Tekst]] = []


class Begrip(Strikt):
    begrip: Tekst
    definitie: Tekst


class Voetnoot(Strikt):
    nummer: Tekst
    tekst: Tekst


class Hoofdstuk(Strikt):
    id: Id
    nummer: Tekst
    titel: Tekst


class _Versie(Strikt):
    """An article or lid may be amended within its document (DVO art. 22): each version says when it holds."""

    versie: Tekst | None = None
    geldig_van: date | None = None
    geldig_tot: date | None = None
    wijzigingen: list[Wijziging] = []

    def geldig_op(self, peildatum: date) -> bool:
        return (self.geldig_van is None or self.geldig_van <= peildatum) and \
            (self.geldig_tot is None or peildatum <= self.geldig_tot)

    def overlapt(self, ander: "_Versie") -> bool:
        return (self.geldig_van or date.min) <= (ander.geldig_tot or date.max) and \
            (ander.geldig_van or date.min) <= (self.geldig_tot or date.max)


class Lid(_Versie):
    id: Id
    nummer: Tekst
    tekst: Tekst = ""
    inhoud: list[Blok] = []


class Artikel(_Versie):
    id: Id
    nummer: Tekst
    titel: Tekst = ""
    scheiding: Literal[":", " "] = ":"
    inhoud: list[Blok] = []
    leden: list[Lid] = []


class HandtekeningRef(Strikt):
    blok: Id
    titel: Tekst | None = None


class TarievenRef(Strikt):
    tarieven: Id
    groep: Id | None = None


class TransformatieRef(Strikt):
    tabel: Id


NvtRegel = Literal[
    "max-5-personen", "geen-wmo", "zzp", "geen-verblijf", "geen-dyslexie",
    "geen-regie", "geen-pleegzorg", "alleen-wmo",
]


class Eis(Strikt):
    id: Tekst
    nr: Tekst
    tekst: Tekst
    opsomming: list[Item] = []
    nvt: NvtRegel | None = None


class EisenGroep(Strikt):
    groep: Tekst
    titel: Tekst | None = None
    kolommen: list[Tekst] = ["Nr.", "Minimumeis", "Voldaan Ja/nee*"]
    eisen: list[Eis]


class Motivatie(Strikt):
    kolommen: list[Tekst] = ["Nummer van de eis", "Motivatie"]


class BijlageVermelding(Strikt):
    nummer: Tekst
    titel: Tekst
    document: Id | None = None


class Invoegen(Strikt):
    document: Id


class Indexatie(Strikt):
    percentage: Bedrag
    kolommen: list[int]
    label: Tekst
    afronding: Literal["euro", "cent"] = "euro"


class Totaal(Strikt):
    label: Tekst = "Totaal"
    bron: list[Tekst] = []  # the totals as the source prints them: printed as is, checked against the sum
    voetnoten: list[Tekst] = []  # footnote mark per column as the source prints it after the total ("²")


class Rekentabel(Strikt):
    """A table whose totals (and indexed column) are computed, not typed."""

    kolommen: list[Tekst]
    soorten: list[Literal["tekst", "bedrag", "getal"]]
    rijen: list[list[Tekst]]
    totaal: Totaal | None = None
    indexatie: Indexatie | None = None


class _Blok(Strikt):
    alleen_voor: list[Id] | None = None


class KopBlok(_Blok):
    kop: Tekst


class SubkopBlok(_Blok):
    subkop: Tekst


class AlineaBlok(_Blok):
    alinea: Tekst


class OpsommingBlok(_Blok):
    opsomming: Opsomming


class TabelBlok(_Blok):
    tabel: Tabel


class BegrippenBlok(_Blok):
    begrippen: list[Begrip]


class VoetnootBlok(_Blok):
    voetnoot: Voetnoot


class HoofdstukBlok(_Blok):
    hoofdstuk: Hoofdstuk


class ArtikelBlok(_Blok):
    artikel: Artikel


class HandtekeningBlok(_Blok):
    handtekening: HandtekeningRef


class ArrangementenBlok(_Blok):
    arrangementen: TarievenRef


class UurtarievenBlok(_Blok):
    uurtarieven: TarievenRef


class TransformatieBlok(_Blok):
    transformatie: TransformatieRef


class EisenBlok(_Blok):
    eisen: EisenGroep


class MotivatieBlok(_Blok):
    motivatie: Motivatie


class BijlagenlijstBlok(_Blok):
    bijlagenlijst: list[BijlageVermelding]


class InvoegenBlok(_Blok):
    invoegen: Invoegen


class RekentabelBlok(_Blok):
    rekentabel: Rekentabel


class PaginaEindeBlok(_Blok):
    pagina_einde: bool = True


BLOKSOORTEN: dict[str, type[_Blok]] = {
    "kop": KopBlok,
    "subkop": SubkopBlok,
    "alinea": AlineaBlok,
    "opsomming": OpsommingBlok,
    "tabel": TabelBlok,
    "begrippen": BegrippenBlok,
    "voetnoot": VoetnootBlok,
    "hoofdstuk": HoofdstukBlok,
    "artikel": ArtikelBlok,
    "handtekening": HandtekeningBlok,
    "arrangementen": ArrangementenBlok,
    "uurtarieven": UurtarievenBlok,
    "transformatie": TransformatieBlok,
    "eisen": EisenBlok,
    "motivatie": MotivatieBlok,
    "bijlagenlijst": BijlagenlijstBlok,
    "invoegen": InvoegenBlok,
    "rekentabel": RekentabelBlok,
    "pagina_einde": PaginaEindeBlok,
}


def blok_soort(waarde: Any) -> str | None:
    """The block kind is its one key besides `alleen_voor`."""
    if isinstance(waarde, BaseModel):
        return next(k for k, v in BLOKSOORTEN.items() if isinstance(waarde, v))
    if not isinstance(waarde, dict):
        return None
    sleutels = [k for k in waarde if k != "alleen_voor"]
    if len(sleutels) != 1:
        return None
    return sleutels[0] if sleutels[0] in BLOKSOORTEN else None


Blok = Annotated[
    Union[tuple(Annotated[cls, Tag(naam)] for naam, cls in BLOKSOORTEN.items())],
    Discriminator(blok_soort),
]


# --- documenten --------------------------------------------------------------------

DocumentSoort = Literal["overeenkomst", "toelichting", "bijlage", "fragment"]


class Document(Strikt):
    id: Id
    titel: Tekst
    korte_titel: Tekst | None = None
    soort: DocumentSoort
    nummer: Tekst | None = None
    domeinen: list[Id] = []
    versie: Tekst
    geldig_van: date
    geldig_tot: date | None = None
    looptijd: Looptijd | None = None
    wijzigingen: list[Wijziging] = []
    bron: Bron | None = None
    variabelen: dict[str, Tekst] = {}
    kop_in_bron: bool = True
    # how headings read: the DVO prints "HOOFDSTUK 1 ALGEMEEN" and "Artikel 3: Titel", another source "1. Titel"
    kop_hoofdstuk: Tekst = "HOOFDSTUK {nummer} {titel}"
    kop_artikel: Tekst = "Artikel {nummer}{scheiding} {titel}"
    sjabloon: Id = "document"
    inhoud: list[Blok] = []

    @model_validator(mode="after")
    def _geldigheid(self):
        if self.geldig_tot is not None and self.geldig_tot < self.geldig_van:
            raise ValueError("geldigheid_volgorde")
        return self

    def geldig_op(self, peildatum: date) -> bool:
        return self.geldig_van <= peildatum and (self.geldig_tot is None or peildatum <= self.geldig_tot)

    @property
    def volledige_titel(self) -> str:
        if self.soort == "bijlage" and self.nummer and not self.titel.lower().startswith("bijlage"):
            return f"Bijlage {self.nummer} {self.titel}"
        return self.titel


# --- tarieven ----------------------------------------------------------------------

Eenheid = Literal["traject", "traject_per_gezin", "maand", "etmaal", "uur", "jaar", "dagdeel"]


class As(Strikt):
    as_: Tekst = Field(alias="as")
    waarden: list[Tekst]


class Afgeleid(Strikt):
    """How a derived tariff follows from others (checked by `contractgen check`)."""

    verschil: list[Tekst] | None = None  # [a, b]: tarief = a - b
    percentage: Bedrag | None = None  # with `van`: tarief = percentage % of van
    van: Tekst | None = None
    grond: Tekst | None = None  # where the source states the rule


class Product(Strikt):
    productcode: Tekst
    naam: Tekst | None = None
    rij: Tekst | None = None
    kolom: Tekst | None = None
    tarief: Bedrag
    eenheid: Eenheid  # for diff, indexation and checks; printed only where label_tarief says it
    label_tarief: Tekst | None = None
    label_code: Tekst = "Productcode:"  # as the source prints it ("productcode:", "productiecode:")
    afgeleid: Afgeleid | None = None


class Degressief(Strikt):
    percentage: Tekst | None = None
    drempel: Tekst | None = None
    producten: list[Tekst] = []
    tekst: Tekst | None = None


class Arrangement(Strikt):
    id: Id
    titel: Tekst
    sextant: bool = False
    rijen: As | None = None
    kolommen: As | None = None
    producten: list[Product] = []
    toeslagen: list[Product] = []
    degressief: Degressief | None = None
    voorwaarden: list[Tekst] = []
    # the source's own layout where it is not a plain grid: rows of cells, each a text or
    # "product:CODE" / "toeslag:CODE" (that product's name, tarief and code, as the source prints them)
    rooster: list[list[Tekst]] = []
    voetnoten: list[Voetnoot] = []  # printed right after this arrangement, where the source has them


class UurPost(Strikt):
    id: Id
    naam: Tekst
    productcode: Tekst | None = None
    tarief: Bedrag | None = None
    eenheid: Eenheid
    label_tarief: Tekst | None = None
    maximum: Literal["uren", "fte"] | None = None
    domeinen: list[Id] = []


class UurGroep(Strikt):
    id: Id
    titel: Tekst
    posten: list[UurPost]


class TariefSet(Strikt):
    id: Id
    domein: Id | None = None
    looptijd: Looptijd
    status: Literal["vastgesteld", "concept"] = "vastgesteld"
    arrangementen: list[Arrangement] = []
    groepen: list[UurGroep] = []


class TransformatieProduct(Strikt):
    omschrijving: Tekst = ""
    extra: Tekst = ""
    productcode: Tekst = ""


class TransformatieRegel(Strikt):
    oud: TransformatieProduct | None = None
    nieuw: TransformatieProduct | None = None
    status: Literal["behouden", "hernoemd", "nieuw", "vervalt", "onbekend"]


class Transformatietabel(Strikt):
    id: Id
    domein: Id
    van_jaar: int
    naar_jaar: int
    regels: list[TransformatieRegel]


# --- aanbieders --------------------------------------------------------------------


def _gecontroleerd(patroon: str, fout: str, vorm=lambda w: w):
    """Text that must match `patroon`, else a Dutch message; `vorm` normalises a match."""

    def controleer(waarde: Any) -> Any:
        waarde = _tekst(waarde)
        if not isinstance(waarde, str):
            return waarde  # the type check reports it
        if re.fullmatch(patroon, waarde.strip()):
            return vorm(waarde.strip())
        raise ValueError(fout.format(_kort(waarde)))

    return BeforeValidator(controleer)


def _kort(tekst: str) -> str:
    return tekst if len(tekst) <= 40 else tekst[:37] + "..."


AgbCode = Annotated[str, _gecontroleerd(r"\d{8}", "ongeldige AGB-code '{}'; verwacht precies 8 cijfers")]
Postcode = Annotated[str, _gecontroleerd(
    r"\d{4} ?[A-Za-z]{2}", "ongeldige postcode '{}'; verwacht vier cijfers en twee letters, bijv. '6211 AA'",
    lambda w: f"{w[:4]} {w[-2:].upper()}")]
Email = Annotated[str, _gecontroleerd(r"[^@\s]+@[^@\s]+\.[^@\s]+", "ongeldig e-mailadres '{}'")]
Aantal = Annotated[str, _gecontroleerd(
    r"\d+(\.\d+)?", "ongeldig maximum '{}'; verwacht een aantal, bijv. '400' (uren) of '1.5' (fte), "
    "met een punt als decimaalteken")]


def _antwoord(waarde: Any) -> Any:
    # Spreadsheets and people write ja, NEE, n.v.t.: one spelling in the documents.
    if isinstance(waarde, str):
        return {"ja": "Ja", "nee": "Nee", "nvt": "NVT"}.get(waarde.strip().lower().replace(".", ""), waarde)
    return waarde


class Persoon(Strikt):
    naam: Tekst
    functie: Tekst | None = None
    email: Email | None = None
    telefoon: Tekst | None = None


class Adres(Strikt):
    straat: Tekst
    postcode: Postcode
    plaats: Tekst


class Antwoord(Strikt):
    """An answer to one kwaliteitseis of bijlage 3; Nee and NVT need a motivatie (aanbieder_regels)."""

    antwoord: Annotated[Literal["Ja", "Nee", "NVT"], BeforeValidator(_antwoord)]
    motivatie: Tekst | None = None


class UurAfspraak(Strikt):
    """Bijlage 1.xb: the agreed maximum, and a tarief only where the tariff set leaves it open."""

    maximum: Aantal
    tarief: Bedrag | None = None


class Onderaannemer(Strikt):
    """DVO art. 21: a subcontractor or ZZP'er; described in bijlage 1 (art. 21.1)."""

    naam: Tekst
    kvk: Annotated[str, BeforeValidator(_tekst), Field(pattern=r"^\d{8}$")] | None = None
    zzp: bool = False
    omschrijving: Tekst | None = None


class Uitsluiting(Strikt):
    """Bijlage 6: the declaration that no uitsluitingsgrond applies (DVO art. 21.2)."""

    verklaard: bool
    datum: date | None = None


class SocialReturn(Strikt):
    """DVO art. 24.2: above this expected omzet the aanbieder must make social return agreements."""

    drempel: Bedrag
    artikel: Tekst  # DOC:ID where the source states the amount (checked)


class Aanbieder(Strikt):
    id: Id
    voorbeeld: bool = False
    naam: Tekst
    kvk: Annotated[str, BeforeValidator(_tekst), Field(pattern=r"^\d{8}$")]
    agb: AgbCode | None = None
    vestigingsadres: Adres | None = None
    vertegenwoordiger: Persoon  # signs; name and functie are prefilled in signature blocks
    contactpersoon: Persoon | None = None  # eis H6
    vervanger: Persoon | None = None  # eis H6
    domeinen: list[Id]
    arrangementen: list[Id] = []  # whole arrangementen: a sextant is contracted with all its levels
    # offers verblijf or crisis verblijf (eisen E4/E5); unset: derived from the arrangementen
    verblijf: bool | None = None
    uurtarieven: dict[str, UurAfspraak] = {}
    kwaliteitseisen: dict[str, Antwoord] = {}
    personen: int | None = None  # persons giving care, hired staff included (eis A1)
    zzp: bool = False
    onderaannemers: list[Onderaannemer] = []
    uitsluitingsgronden: Uitsluiting | None = None
    omzet_verwacht: Bedrag | None = None
    # generic, for any contract family: segments/percelen, named amounts, named contacts
    kenmerken: list[Id] = []
    waarden: dict[Id, Bedrag] = {}
    rollen: dict[Id, Persoon] = {}


# --- regio -------------------------------------------------------------------------


class Domein(Strikt):
    id: Id
    naam: Tekst
    aanbieder_van: Tekst | None = None


class Gemeente(Strikt):
    id: Id
    naam: Tekst


class HandtekeningRij(Strikt):
    label: Tekst
    waarde: Tekst = ""
    teken: bool = False  # the row where one signs: tall, and the PDF signature field goes here


class HandtekeningDef(Strikt):
    titel: Tekst
    partij: Literal["gemeenten", "opdrachtnemer"]
    rijen: list[HandtekeningRij]


class Rang(Strikt):
    """One step of the rangorde: these documents, and the article that gives them this place."""

    naam: Tekst
    documenten: list[Tekst]  # document ids; a trailing * matches a prefix (bijlage-*)
    grond: Tekst | None = None  # DOC:ID of the voorrang article


class Uitzondering(Strikt):
    onderwerp: Tekst
    wijkt_af_van: Tekst
    grond: Tekst  # DOC:ID


class Voorrang(Strikt):
    rangorde: list[Rang] = []
    uitzonderingen: list[Uitzondering] = []


class Vindplaats(Strikt):
    plaats: Tekst  # DOC:ID (artikel, lid or eis)
    tekst: Tekst  # the words as they stand there (checked)
    waarde: Tekst  # normalised, for comparison


class Parameter(Strikt):
    id: Id
    naam: Tekst
    vindplaatsen: list[Vindplaats]


class Berekening(Strikt):
    """A computed value per aanbieder, e.g. social return = opdrachtwaarde * 5 / 100 above a threshold."""

    id: Id
    naam: Tekst
    formule: Tekst
    als: Tekst | None = None
    anders: Tekst = "niet van toepassing"
    eenheid: Literal["bedrag", "getal"] = "bedrag"
    grond: Tekst | None = None  # where the source states the rule


class Regio(Strikt):
    id: Id
    naam: Tekst
    standaard_peildatum: date
    domeinen: list[Domein]
    gemeenten: list[Gemeente] = []
    handtekeningen: dict[Id, HandtekeningDef] = {}
    algemeen: list[Id] = []
    pakket: list[Id] = []
    voorrang: Voorrang = Voorrang()
    parameters: list[Parameter] = []
    berekeningen: list[Berekening] = []
    # segments, percelen and other traits an aanbieder can have (matched by `alleen_voor`)
    kenmerken: list[Domein] = []
    social_return: SocialReturn | None = None


for _model in list(globals().values()):
    if isinstance(_model, type) and issubclass(_model, BaseModel) and _model.__module__ == __name__:
        _model.model_rebuild()

"""The customer aggregate as SAP shapes it: general data, bank details, company-code and
sales-area segments (with tax classifications and partner functions)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

from custmd_gui.domain import field_types


def _flag(value: Any) -> Any:
    # SAP flags are "X" or blank; JSON documents and databases carry them that way.
    if isinstance(value, str):
        if value.strip().upper() == "X":
            return True
        if value.strip() == "":
            return False
    return value


# A SAP checkbox: True in Python, "X" or "" in SAP-shaped documents.
Flag = Annotated[
    bool,
    BeforeValidator(_flag),
    PlainSerializer(lambda v: "X" if v else "", return_type=str, when_used="json"),
]

PARTNER_FUNCTIONS_DEFAULT = ("AG", "RE", "RG", "WE")


class _Segment(BaseModel):
    # Aliases are the SAP field names, so a SAP-shaped JSON document validates directly;
    # Python code uses the catalog's descriptive names.
    model_config = ConfigDict(
        populate_by_name=True, validate_assignment=True, extra="forbid", str_strip_whitespace=True
    )
    # The SAP table whose catalog fields the segment holds ("" for the customer as a whole).
    SAP_TABLE: ClassVar[str] = ""

    @field_validator("*", mode="before")
    @classmethod
    def _normalize(cls, value: Any, info: ValidationInfo) -> Any:
        # One normalisation for every channel that builds a customer (screens, JSON, sync):
        # the field's type from the catalog (codes folded to ASCII, the credit code compacted).
        # Invisible characters are refused by the validator, which names every one at once.
        if isinstance(value, str) and cls.SAP_TABLE and info.field_name:
            return field_types.normalize_field(cls.SAP_TABLE, info.field_name, value)
        return value

    def deep_copy(self) -> Self:
        """model_copy(deep=True), without copy.deepcopy walking every string: a segment
        holds immutable values, segments and lists of segments (an import copies thousands)."""
        copy = self.model_copy()  # its own __dict__: replacing values leaves self alone
        values = copy.__dict__
        for name, value in values.items():
            if isinstance(value, _Segment):
                values[name] = value.deep_copy()
            elif isinstance(value, list):
                values[name] = [v.deep_copy() if isinstance(v, _Segment) else v for v in value]
        return copy


class GeneralData(_Segment):
    SAP_TABLE = "KNA1"

    # begin: generated from the catalog
    number: str = Field("", alias="KUNNR")
    account_group: str = Field("", alias="KTOKD")
    title: str = Field("", alias="ANRED")
    name: str = Field("", alias="NAME1")
    name_2: str = Field("", alias="NAME2")
    name_3: str = Field("", alias="NAME3")
    name_4: str = Field("", alias="NAME4")
    search_term: str = Field("", alias="SORTL")
    street: str = Field("", alias="STRAS")
    postal_code: str = Field("", alias="PSTLZ")
    city: str = Field("", alias="ORT01")
    country: str = Field("", alias="LAND1")
    region: str = Field("", alias="REGIO")
    language: str = Field("", alias="SPRAS")
    telephone: str = Field("", alias="TELF1")
    fax: str = Field("", alias="TELFX")
    authorization_group: str = Field("", alias="BEGRU")
    industry: str = Field("", alias="BRSCH")
    previous_number: str = Field("", alias="ALTKN")
    tax_number_1: str = Field("", alias="STCD1")
    tax_number_5: str = Field("", alias="STCD5")
    vat_registration_number: str = Field("", alias="STCEG")
    nielsen_id: str = Field("", alias="NIELS")
    legal_status: str = Field("", alias="GFORM")
    order_block: str = Field("", alias="AUFSD")
    delivery_block: str = Field("", alias="LIFSD")
    billing_block: str = Field("", alias="FAKSD")
    posting_block: Flag = Field(False, alias="SPERR")
    deletion_flag: Flag = Field(False, alias="LOEVM")
    # end: generated from the catalog


class BankDetail(_Segment):
    SAP_TABLE = "KNBK"

    # begin: generated from the catalog
    bank_country: str = Field("", alias="BANKS")
    bank_key: str = Field("", alias="BANKL")
    bank_account: str = Field("", alias="BANKN")
    account_holder: str = Field("", alias="KOINH")
    reference_details: str = Field("", alias="BKREF")
    # end: generated from the catalog

    @property
    def segment_key(self) -> str:
        return f"{self.bank_country}/{self.bank_key}/{self.bank_account}"


class CompanyCodeData(_Segment):
    SAP_TABLE = "KNB1"

    # begin: generated from the catalog
    company_code: str = Field("", alias="BUKRS")
    reconciliation_account: str = Field("", alias="AKONT")
    sort_key: str = Field("", alias="ZUAWA")
    authorization_group: str = Field("", alias="BEGRU")
    payment_terms: str = Field("", alias="ZTERM")
    posting_block: Flag = Field(False, alias="SPERR")
    deletion_flag: Flag = Field(False, alias="LOEVM")
    # end: generated from the catalog

    @property
    def segment_key(self) -> str:
        return self.company_code


class TaxClassification(_Segment):
    SAP_TABLE = "KNVI"

    # begin: generated from the catalog
    country: str = Field("", alias="ALAND")
    tax_category: str = Field("", alias="TATYP")
    tax_classification: str = Field("", alias="TAXKD")
    # end: generated from the catalog

    @property
    def segment_key(self) -> str:
        return f"{self.country}/{self.tax_category}"


class PartnerFunction(_Segment):
    SAP_TABLE = "KNVP"

    # begin: generated from the catalog
    partner_function: str = Field("", alias="PARVW")
    counter: str = Field("000", alias="PARZA")
    partner: str = Field("", alias="KUNN2")
    # end: generated from the catalog

    @property
    def segment_key(self) -> str:
        return f"{self.partner_function}/{self.counter}"


class SalesAreaData(_Segment):
    SAP_TABLE = "KNVV"

    # begin: generated from the catalog
    sales_org: str = Field("", alias="VKORG")
    distribution_channel: str = Field("", alias="VTWEG")
    division: str = Field("", alias="SPART")
    sales_district: str = Field("", alias="BZIRK")
    sales_office: str = Field("", alias="VKBUR")
    sales_group: str = Field("", alias="VKGRP")
    customer_group: str = Field("", alias="KDGRP")
    authorization_group: str = Field("", alias="BEGRU")
    currency: str = Field("", alias="WAERS")
    price_group: str = Field("", alias="KONDA")
    pricing_procedure: str = Field("", alias="KALKS")
    price_list_type: str = Field("", alias="PLTYP")
    statistics_group: str = Field("", alias="VERSG")
    shipping_conditions: str = Field("", alias="VSBED")
    delivering_plant: str = Field("", alias="VWERK")
    incoterms: str = Field("", alias="INCO1")
    incoterms_place: str = Field("", alias="INCO2")
    payment_terms: str = Field("", alias="ZTERM")
    account_assignment_group: str = Field("", alias="KTGRD")
    order_block: str = Field("", alias="AUFSD")
    delivery_block: str = Field("", alias="LIFSD")
    billing_block: str = Field("", alias="FAKSD")
    deletion_flag: Flag = Field(False, alias="LOEVM")
    # end: generated from the catalog
    tax_classifications: list[TaxClassification] = Field(default_factory=list, alias="KNVI")
    partners: list[PartnerFunction] = Field(default_factory=list, alias="KNVP")

    @property
    def segment_key(self) -> str:
        return f"{self.sales_org}/{self.distribution_channel}/{self.division}"


class Customer(_Segment):
    general: GeneralData = Field(default_factory=GeneralData, alias="KNA1")
    bank_details: list[BankDetail] = Field(default_factory=list, alias="KNBK")
    company_codes: list[CompanyCodeData] = Field(default_factory=list, alias="KNB1")
    sales_areas: list[SalesAreaData] = Field(default_factory=list, alias="KNVV")
    # Optimistic concurrency: the stored version this object was read at (0 = new).
    version: int = Field(0, alias="VERSION")

    @property
    def number(self) -> str:
        return self.general.number

    def company_code(self, code: str) -> CompanyCodeData | None:
        return next((c for c in self.company_codes if c.company_code == code), None)

    def sales_area(self, key: str) -> SalesAreaData | None:
        return next((s for s in self.sales_areas if s.segment_key == key), None)

    def with_number(self, number: str) -> Customer:
        """A copy carrying its number, also in partner functions that point at 'itself'."""
        copy = self.deep_copy()
        old = copy.general.number
        copy.general.number = number
        for area in copy.sales_areas:
            for p in area.partners:
                if p.partner in ("", old):
                    p.partner = number
        return copy

    def with_default_partners(
        self, functions: tuple[str, ...] = PARTNER_FUNCTIONS_DEFAULT
    ) -> Customer:
        """The customer itself in each of `functions` a sales area leaves out: SAP's default
        for a sold-to party is AG, RE, RG and WE (the account group's defaults:
        domain.partner_determination)."""
        copy = self.deep_copy()
        for area in copy.sales_areas:
            present = {p.partner_function for p in area.partners}
            for fn in functions:
                if fn not in present:
                    area.partners.append(
                        PartnerFunction(partner_function=fn, partner=copy.general.number)
                    )
        return copy

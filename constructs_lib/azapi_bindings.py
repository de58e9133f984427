"""The provider `azure/azapi` and the three of its blocks the AKS constructs use, bound by hand.

There is no prebuilt cdktf binding for azapi, so these are cdktf's raw classes: a `TerraformProvider`
subclass that names the provider's source and version, and resource and data source blocks whose arguments
go in through `add_override` (a Python override of `synthesize_attributes` is never called through jsii:
the arguments would silently vanish). No provider package, no jsii assembly: importing this module loads
cdktf only, and only the AKS constructs import it.

Arguments are written as given: callers escape literal strings (`terraform_literals`) first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import cdktf
from constructs import Construct

AZAPI_PROVIDER_SOURCE = "azure/azapi"
AZAPI_VERSION_CONSTRAINT = "~> 2.12"
"""2.12 or a later 2.x: 2.12.0 is the newest release and knows every argument used here
(`sensitive_response_export_values` and `sensitive_output` came in 2.3, `query_parameters` in 2.0); 3.0
will change the provider's interface, so it is left out until these bindings are checked against it."""

_METADATA = cdktf.TerraformProviderGeneratorMetadata(
    provider_name="azapi", provider_version_constraint=AZAPI_VERSION_CONSTRAINT
)


def _set_arguments(block: cdktf.TerraformElement, arguments: Mapping[str, object]) -> None:
    """Each argument that is not None, as Terraform JSON takes it."""
    for name, value in arguments.items():
        if value is not None:
            block.add_override(name, value)


class AzapiProvider(cdktf.TerraformProvider):
    """`provider "azapi"`: credentials from `az login` or the `ARM_*` environment variables."""

    def __init__(self, scope: Construct, id_: str, *, subscription_id: str | None = None) -> None:
        """`subscription_id`: the subscription requests go to when a block names none; default: the
        provider's own default (`ARM_SUBSCRIPTION_ID`, else the Azure CLI's current subscription)."""
        super().__init__(
            scope,
            id_,
            terraform_resource_type="azapi",
            terraform_provider_source=AZAPI_PROVIDER_SOURCE,
            terraform_generator_metadata=_METADATA,
        )
        _set_arguments(self, {"subscription_id": subscription_id})


class AzapiResource(cdktf.TerraformResource):
    """`resource "azapi_resource"`: one Azure Resource Manager resource, created, updated and deleted."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        type: str,
        name: str,
        parent_id: str,
        body: Mapping[str, object],
        locks: Sequence[str] | None = None,
        schema_validation_enabled: bool | None = None,
    ) -> None:
        """`type`: `<resource type>@<API version>`. `locks`: resource ids no other azapi block of the same
        run changes at the same time (default: none). `schema_validation_enabled`: default true, the body
        checked against the provider's embedded copy of the API's schema."""
        super().__init__(scope, id_, terraform_resource_type="azapi_resource", terraform_generator_metadata=_METADATA)
        _set_arguments(
            self,
            {
                "type": type,
                "name": name,
                "parent_id": parent_id,
                "body": body,
                "locks": locks,
                "schema_validation_enabled": schema_validation_enabled,
            },
        )


class DataAzapiResource(cdktf.TerraformDataSource):
    """`data "azapi_resource"`: reads an existing Azure Resource Manager resource."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        type: str,
        name: str,
        parent_id: str,
        response_export_values: Mapping[str, str] | None = None,
    ) -> None:
        """`response_export_values`: {name in `output`: JMESPath of the response}; default: `output` empty
        (the `id`, `location` and `tags` attributes are always read)."""
        super().__init__(scope, id_, terraform_resource_type="azapi_resource", terraform_generator_metadata=_METADATA)
        _set_arguments(
            self,
            {"type": type, "name": name, "parent_id": parent_id, "response_export_values": response_export_values},
        )

    @property
    def id(self) -> str:
        return self.get_string_attribute("id")

    @property
    def location(self) -> str:
        return self.get_string_attribute("location")


class DataAzapiResourceAction(cdktf.TerraformDataSource):
    """`data "azapi_resource_action"`: calls a read-only action of an existing resource at every plan."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        type: str,
        resource_id: str,
        action: str,
        query_parameters: Mapping[str, Sequence[str]] | None = None,
        sensitive_response_export_values: Mapping[str, str] | None = None,
    ) -> None:
        """`query_parameters`: default none. `sensitive_response_export_values`: {name in `sensitive_output`:
        JMESPath of the response}, kept out of plans and logs (Terraform's state still holds it)."""
        super().__init__(
            scope, id_, terraform_resource_type="azapi_resource_action", terraform_generator_metadata=_METADATA
        )
        _set_arguments(
            self,
            {
                "type": type,
                "resource_id": resource_id,
                "action": action,
                "query_parameters": query_parameters,
                "sensitive_response_export_values": sensitive_response_export_values,
            },
        )

    def sensitive_output(self, name: str) -> str:
        """`sensitive_output.<name>` as a (sensitive) string token."""
        return cdktf.Token.as_string(self.interpolation_for_attribute(f"sensitive_output.{name}"))

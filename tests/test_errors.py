"""The one error shape of the API: ``{"code", "detail"}``, translated."""

import pytest
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from mamut.errors import ApplicationError


class Refusing(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request):
        raise ApplicationError(
            "Service inactive", code="service_inactive", status_code=403
        )

    def post(self, request):
        class Input(serializers.Serializer):
            email = serializers.EmailField()

        Input(data=request.data).is_valid(raise_exception=True)
        return Response({})


def call(method: str, language: str = "nl", **kwargs):
    factory = APIRequestFactory()
    request = getattr(factory, method)(
        "/refuse/", HTTP_ACCEPT_LANGUAGE=language, format="json", **kwargs
    )
    from django.utils import translation

    with translation.override(language):
        return Refusing.as_view()(request)


def test_application_error_becomes_code_and_detail():
    response = call("get")

    assert response.status_code == 403
    assert response.data == {"code": "service_inactive", "detail": "Service inactive"}


@pytest.mark.parametrize(
    ("language", "text"),
    [("nl", "Sommige velden zijn niet geldig."), ("en", "Some fields are not valid.")],
)
def test_validation_error_has_fields_and_translated_detail(language, text):
    response = call("post", language=language, data={"email": "geen-adres"})

    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["detail"] == text
    assert list(response.data["fields"]) == ["email"]


def test_wrong_method_keeps_the_error_shape():
    response = call("delete")

    assert response.status_code == 405
    assert response.data["code"] == "method_not_allowed"

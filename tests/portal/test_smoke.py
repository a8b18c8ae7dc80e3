from django.urls import reverse


def test_leader_sees_programme_home(world, client_for):
    response = client_for(world.users["leader"]).get(
        reverse("portal:home", args=[world.tenant.slug])
    )
    assert response.status_code == 200
    assert world.tenant.name in response.content.decode()

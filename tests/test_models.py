from ecgcourse.models import STORY_B_REPORTED_PARAMS, story_b_network


def test_story_b_as_described_holds_more_than_it_reported():
    model = story_b_network()
    assert model.input_shape == (None, 18000, 1) and model.output_shape == (None, 6)
    assert model.count_params() > 1.5 * STORY_B_REPORTED_PARAMS

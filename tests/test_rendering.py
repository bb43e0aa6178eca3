from quiz.rendering import glossary_index, math_problems, render_markdown


class FakeTerm:
    def __init__(self, slug, en, zh, definition):
        self.slug, self.term_en, self.term_zh, self.definition = slug, en, zh, definition
        self.term = en


def test_formulas_become_mathml():
    html = render_markdown("Sigmoid: $\\sigma(x) = \\frac{1}{1 + e^{-x}}$\n\n$$\\sum_i p_i = 1$$")

    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert "<mfrac>" in html
    assert '<div class="math-block"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html


def test_raw_html_and_script_links_are_not_rendered():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))')

    assert "<script>" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


def test_escaped_dollar_is_text_and_prices_are_not_math():
    assert render_markdown("It costs \\$5.") == "<p>It costs $5.</p>\n"
    assert math_problems("It costs \\$5 and $x$ is fine.") == []
    assert math_problems("It costs $5 and more") != []


def test_glossary_terms_are_marked_once_outside_code_and_links():
    index = glossary_index([FakeTerm("overfitting", "overfitting", "过拟合", "Fitting noise <b>")], url="/glossary/")

    html = render_markdown("Overfitting and overfitting; 过拟合. `overfitting` [overfitting](/x)", glossary=index)

    assert html.count('class="term"') == 1
    assert 'href="/glossary/#term-overfitting"' in html
    assert "Fitting noise &lt;b&gt;" in html
    assert "<code>overfitting</code>" in html


def test_chinese_terms_are_found_without_word_boundaries():
    index = glossary_index([FakeTerm("overfitting", "overfitting", "过拟合", "拟合了噪声")], url="/g/")

    assert 'class="term"' in render_markdown("模型出现过拟合时", glossary=index)


def test_a_bad_formula_shows_its_source_instead_of_breaking_the_page():
    html = render_markdown("Broken $\\frac{1}{$ here")

    assert '<code class="math-error">\\frac{1}{</code>' in html


def test_glossary_terms_match_british_spellings_plurals_and_dashes():
    index = glossary_index(
        [
            FakeTerm("batch-normalization", "batch normalization", "批归一化", "Normalise per batch."),
            FakeTerm("bias-variance", "bias-variance trade-off", "偏差-方差权衡", "Trade-off."),
            FakeTerm("gan", "GAN", "生成对抗网络", "Two networks."),
        ],
        url="/g/",
    )

    html = render_markdown("Batch normalisation, the bias–variance trade-off and GANs.", glossary=index)

    assert html.count('class="term"') == 3
    assert 'href="/g/#term-batch-normalization"' in html

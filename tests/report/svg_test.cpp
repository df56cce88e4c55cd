// The SVG writer: escaping, number formatting, and documents that a strict XML reader accepts and
// reads back to what was written. The reader itself is checked to reject malformed input, so a
// "well-formed" verdict in these tests means something.
#include "report/svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "support/xml_reader.h"

namespace report {
namespace {

using testing::find_all;
using testing::read_svg_or_fail;
using testing::XmlElement;
using testing::XmlReader;

TEST(XmlReaderTest, RejectsMalformedDocuments) {
  for (const char* bad : {"<a><b></a></b>", "<a>x & y</a>", "<a x=\"1 < 2\"/>", "<a>&bogus;</a>",
                          "<a x=\"1\" x=\"2\"/>", "<a/><b/>", "<a>", "<a x=\"1\"y=\"2\"/>",
                          "text<a/>"}) {
    XmlReader reader(bad);
    EXPECT_FALSE(reader.read().has_value()) << bad;
    EXPECT_FALSE(reader.error().empty()) << bad;
  }
}

TEST(XmlReaderTest, AcceptsDeclarationCommentsAndEntities) {
  XmlReader reader(
      "<?xml version=\"1.0\"?>\n<!-- c --><a k=\"&lt;&amp;&gt;\">x &quot;y&quot;<b/></a>\n");
  const std::optional<XmlElement> root = reader.read();
  ASSERT_TRUE(root.has_value()) << reader.error();
  EXPECT_EQ(root->attribute("k"), "<&>");
  EXPECT_EQ(root->text, "x \"y\"");
  ASSERT_EQ(root->children.size(), 1u);
  EXPECT_EQ(root->children[0].name, "b");
}

TEST(SvgTest, EscapeXmlReplacesTheFiveSpecialCharacters) {
  EXPECT_EQ(escape_xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(escape_xml("plain – text"), "plain – text");
}

TEST(SvgTest, FormatNumberIsCompact) {
  EXPECT_EQ(format_number(1.5), "1.5");
  EXPECT_EQ(format_number(2.0), "2");
  EXPECT_EQ(format_number(1234.5678), "1234.57");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.3");
  EXPECT_EQ(format_number(100.0), "100");
  EXPECT_EQ(format_number(-3.25), "-3.25");
  EXPECT_EQ(format_number(0.123456, 4), "0.1235");
  EXPECT_EQ(format_number(7.6, 0), "8");
}

TEST(SvgTest, FormatNumberWritesNoNegativeZeroAndNoNan) {
  EXPECT_EQ(format_number(-0.001), "0");
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "0");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "0");
}

TEST(SvgTest, FormatSiPicksTheSuffixByTheRoundedValue) {
  EXPECT_EQ(format_si(0.0), "0");
  EXPECT_EQ(format_si(950.0), "950");
  EXPECT_EQ(format_si(12500.0), "12.5k");
  EXPECT_EQ(format_si(5e6), "5M");
  EXPECT_EQ(format_si(1.25e6), "1.25M");
  EXPECT_EQ(format_si(999999.0), "1M");
  EXPECT_EQ(format_si(-2500.0), "-2.5k");
  EXPECT_EQ(format_si(3e9), "3G");
}

TEST(SvgTest, PathDataMovesThenLinesAndClosesOnRequest) {
  const std::vector<Point> points = {{0.0, 0.0}, {1.5, 2.0}, {3.0, -1.0}};
  EXPECT_EQ(path_data(points, false), "M0 0L1.5 2L3 -1");
  EXPECT_EQ(path_data(points, true), "M0 0L1.5 2L3 -1Z");
  EXPECT_EQ(path_data({}, true), "");
}

TEST(SvgTest, PolylineListsItsPointsAndIsUnfilledUnlessTold) {
  const std::vector<Point> points = {{0.0, 0.0}, {1.5, 2.0}};
  EXPECT_EQ(polyline(points, {{"stroke", "red"}}),
            "<polyline points=\"0,0 1.5,2\" fill=\"none\" stroke=\"red\"/>");
  // A given fill replaces the default rather than repeating the attribute (which is malformed).
  const XmlElement filled = read_svg_or_fail(polyline(points, {{"fill", "blue"}}));
  EXPECT_EQ(filled.attribute("fill"), "blue");
}

TEST(SvgTest, DocumentWithEveryElementIsWellFormedAndReadsBack) {
  const std::string title = "a <b> & \"c\" 'd'";
  const std::vector<Point> points = {{1.0, 2.0}, {3.0, 4.0}};
  std::string body = line({0.0, 0.0}, {10.0, 5.0}, {{"stroke", "#000"}});
  body += rect(1.0, 2.0, 3.0, 4.0, {{"fill", "#eee"}});
  body += circle({5.0, 5.0}, 2.5, {});
  body += polyline(points, {});
  body += path(path_data(points, true), {{"data-note", "x<y & z"}});
  body += clip_path("box", rect(0.0, 0.0, 10.0, 10.0, {}));
  body += group(group(text({4.0, 6.0}, title, {{"font-size", "11"}}), {}),
                {{"clip-path", "url(#box)"}});
  const XmlElement root = read_svg_or_fail(document(120.0, 80.5, body));

  EXPECT_EQ(root.name, "svg");
  EXPECT_EQ(root.attribute("xmlns"), "http://www.w3.org/2000/svg");
  EXPECT_EQ(root.attribute("width"), "120");
  EXPECT_EQ(root.attribute("height"), "80.5");
  EXPECT_EQ(root.attribute("viewBox"), "0 0 120 80.5");
  EXPECT_NE(root.attribute("font-family").find("sans-serif"), std::string::npos);
  ASSERT_FALSE(root.children.empty());
  EXPECT_EQ(root.children[0].name, "rect");  // the white background comes first
  EXPECT_EQ(root.children[0].attribute("fill"), "#ffffff");

  const std::vector<const XmlElement*> texts = find_all(root, "text");
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0]->text, title);
  EXPECT_DOUBLE_EQ(texts[0]->number("x"), 4.0);
  const std::vector<const XmlElement*> paths = find_all(root, "path");
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(paths[0]->attribute("data-note"), "x<y & z");
  EXPECT_EQ(paths[0]->attribute("d"), "M1 2L3 4Z");
  EXPECT_EQ(find_all(root, "clipPath").size(), 1u);
  EXPECT_EQ(find_all(root, "g").size(), 2u);
  EXPECT_DOUBLE_EQ(find_all(root, "circle")[0]->number("r"), 2.5);
}

}  // namespace
}  // namespace report

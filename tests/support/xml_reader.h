// A strict little XML reader for the report tests: enough of XML 1.0 to reject anything malformed
// that the SVG writer could produce (unbalanced or crossed tags, raw < or & in text or attribute
// values, unknown entities, duplicate attributes, text outside the root, two roots), and to give
// the tests a tree to query with entities decoded.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace report::testing {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  ///< entities decoded
  std::string text;                               ///< direct character data, decoded, concatenated
  std::vector<XmlElement> children;

  std::string attribute(const std::string& key) const {
    const auto it = attributes.find(key);
    return it == attributes.end() ? std::string() : it->second;
  }
  double number(const std::string& key) const {
    return std::strtod(attribute(key).c_str(), nullptr);
  }
};

class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : s_(text) {}

  /// The root element, or nullopt with error() saying what is wrong and where.
  std::optional<XmlElement> read() {
    if (s_.substr(0, 5) == "<?xml") {
      const std::size_t end = s_.find("?>");
      if (end == std::string_view::npos) {
        fail("unterminated XML declaration");
        return std::nullopt;
      }
      i_ = end + 2;
    }
    skip_misc();
    XmlElement root;
    if (!element(root)) return std::nullopt;
    skip_misc();
    if (i_ != s_.size()) {
      fail("content after the root element");
      return std::nullopt;
    }
    return root;
  }

  const std::string& error() const { return error_; }

 private:
  /// Records the first error; always false, so a parse step can `return fail(...)`.
  bool fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at offset " + std::to_string(i_);
    return false;
  }

  bool at(std::string_view prefix) const { return s_.substr(i_, prefix.size()) == prefix; }

  /// Whitespace and comments.
  void skip_misc() {
    while (i_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[i_]))) {
        ++i_;
      } else if (at("<!--")) {
        const std::size_t end = s_.find("-->", i_ + 4);
        i_ = end == std::string_view::npos ? s_.size() : end + 3;
      } else {
        return;
      }
    }
  }

  bool name(std::string& out) {
    const std::size_t start = i_;
    auto ok = [&](char c, bool first) {
      return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
             (!first && (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'));
    };
    while (i_ < s_.size() && ok(s_[i_], i_ == start)) ++i_;
    out = std::string(s_.substr(start, i_ - start));
    if (out.empty()) fail("expected a name");
    return !out.empty();
  }

  /// Decodes character data up to `stop`, rejecting raw '<' and unknown entities.
  bool chars(char stop, std::string& out) {
    while (i_ < s_.size() && s_[i_] != stop) {
      const char c = s_[i_];
      if (c == '<') return fail("raw '<' in a value");
      if (c != '&') {
        out += c;
        ++i_;
        continue;
      }
      const std::size_t semi = s_.find(';', i_);
      if (semi == std::string_view::npos) return fail("unterminated entity");
      const std::string_view entity = s_.substr(i_ + 1, semi - i_ - 1);
      static const std::map<std::string_view, char> kNamed = {
          {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
      if (const auto it = kNamed.find(entity); it != kNamed.end()) {
        out += it->second;
      } else if (entity.size() > 1 && entity[0] == '#') {
        out += '?';  // numeric reference: well-formed; the tests never look at its character
      } else {
        return fail("unknown entity &" + std::string(entity) + ";");
      }
      i_ = semi + 1;
    }
    return true;
  }

  bool element(XmlElement& out) {
    if (!at("<")) return fail("expected '<'");
    ++i_;
    if (!name(out.name)) return false;
    while (true) {
      const std::size_t before = i_;
      skip_misc_spaces();
      if (at("/>")) {
        i_ += 2;
        return true;
      }
      if (at(">")) {
        ++i_;
        break;
      }
      if (i_ == before) return fail("expected whitespace before an attribute");
      std::string key;
      if (!name(key)) return false;
      if (!at("=\"")) return fail("expected =\" after " + key);
      i_ += 2;
      std::string value;
      if (!chars('"', value)) return false;
      if (i_ >= s_.size()) return fail("unterminated attribute value");
      ++i_;
      if (!out.attributes.emplace(key, value).second) {
        return fail("duplicate attribute " + key);
      }
    }
    // Content: text, comments and child elements up to the matching end tag.
    while (true) {
      if (i_ >= s_.size()) return fail("unclosed <" + out.name + ">");
      if (at("<!--")) {
        skip_misc();
      } else if (at("</")) {
        i_ += 2;
        std::string end;
        if (!name(end)) return false;
        if (end != out.name) return fail("</" + end + "> closes <" + out.name + ">");
        if (!at(">")) return fail("expected '>'");
        ++i_;
        return true;
      } else if (at("<")) {
        out.children.emplace_back();
        if (!element(out.children.back())) return false;
      } else if (!chars('<', out.text)) {
        return false;
      }
    }
  }

  void skip_misc_spaces() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;
};

/// Every element named `name` in the tree, depth first, in document order.
inline void find_all(const XmlElement& root, const std::string& name,
                     std::vector<const XmlElement*>& out) {
  if (root.name == name) out.push_back(&root);
  for (const XmlElement& child : root.children) find_all(child, name, out);
}

inline std::vector<const XmlElement*> find_all(const XmlElement& root, const std::string& name) {
  std::vector<const XmlElement*> out;
  find_all(root, name, out);
  return out;
}

/// The text of every <text> element, in document order.
inline std::vector<std::string> texts(const XmlElement& root) {
  std::vector<std::string> out;
  for (const XmlElement* t : find_all(root, "text")) out.push_back(t->text);
  return out;
}

/// A test failure for every attribute (a coordinate, a size) written as nan or inf.
inline void expect_finite_attributes(const XmlElement& e) {
  for (const auto& [key, value] : e.attributes) {
    EXPECT_TRUE(value.find("nan") == std::string::npos && value.find("inf") == std::string::npos)
        << "<" << e.name << " " << key << "=\"" << value << "\">";
  }
  for (const XmlElement& child : e.children) expect_finite_attributes(child);
}

/// The root of a generated SVG document. A test failure (with the start of the text) if it is not
/// well-formed XML, or if a number in it was written as nan or inf.
inline XmlElement read_svg_or_fail(const std::string& svg) {
  XmlReader reader(svg);
  std::optional<XmlElement> root = reader.read();
  EXPECT_TRUE(root.has_value()) << reader.error() << "\n" << svg.substr(0, 2000);
  if (root) expect_finite_attributes(*root);
  return root.value_or(XmlElement{});
}

}  // namespace report::testing

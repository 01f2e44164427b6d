using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace WeComPS.Tests
{
    /// <summary>Every message exists in English and Chinese with the same placeholders; the UI culture picks one.</summary>
    public sealed class LanguageTests
    {
        private static readonly Regex Placeholder = new Regex(@"\{(\d+)(?:[,:][^}]*)?\}");

        private static string[] Placeholders(string text) =>
            Placeholder.Matches(text).Select(m => m.Groups[1].Value).Distinct().OrderBy(p => p, StringComparer.Ordinal).ToArray();

        private static T In<T>(string culture, Func<T> work)
        {
            var was = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = new CultureInfo(culture);
            try
            {
                return work();
            }
            finally
            {
                CultureInfo.CurrentUICulture = was;
            }
        }

        [Fact]
        public void Every_message_has_a_Chinese_text_with_the_same_placeholders()
        {
            Assert.NotEmpty(Msg.All);
            foreach (var (key, (en, zh)) in Msg.All)
            {
                Assert.False(string.IsNullOrWhiteSpace(zh), key);
                Assert.True(Placeholders(en).SequenceEqual(Placeholders(zh)), $"{key}: '{en}' and '{zh}' differ in placeholders");
                Assert.True(Regex.IsMatch(key, "^[A-Z][A-Za-z0-9]*$"), $"{key} is not PascalCase");
            }
        }

        [Fact]
        public void Every_message_the_code_asks_for_exists()
        {
            // The keys in Msg.Get("Key", ...) and Rules.Fail("Id", "Key", ...), including both sides of a ?: choice.
            var call = new Regex(@"Msg\.Get\((?<key>[^,;]*?)(?:,|\)\s*[;,)])|Rules\.Fail\(""\w+"",\s*(?<key>""\w+"")");
            var literal = new Regex(@"""([A-Z][A-Za-z0-9]*)""");
            var asked = System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(BuiltModule.RepoRoot, "src"), "*.cs", System.IO.SearchOption.AllDirectories)
                .Where(f => !f.Contains(System.IO.Path.DirectorySeparatorChar + "obj" + System.IO.Path.DirectorySeparatorChar))
                .SelectMany(f => call.Matches(System.IO.File.ReadAllText(f)).SelectMany(m => literal.Matches(m.Groups["key"].Value)).Select(m => (File: System.IO.Path.GetFileName(f), Key: m.Groups[1].Value)))
                .ToList();

            Assert.True(asked.Count > 100, $"only {asked.Count} keys found: the pattern no longer matches the code");
            Assert.Empty(asked.Where(a => !Msg.All.ContainsKey(a.Key)).Select(a => $"{a.File}: {a.Key}"));
        }

        [Fact]
        public void Every_message_is_used()
        {
            // A key no code names any more is a message that a change dropped (or left behind).
            var code = string.Concat(System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(BuiltModule.RepoRoot, "src"), "*.cs", System.IO.SearchOption.AllDirectories)
                .Where(f => !f.Contains(System.IO.Path.DirectorySeparatorChar + "obj" + System.IO.Path.DirectorySeparatorChar) && System.IO.Path.GetFileName(f) != "Msg.cs")
                .Select(System.IO.File.ReadAllText));

            var unused = Msg.All.Keys.Where(key => !code.Contains("\"" + key + "\"", StringComparison.Ordinal)).ToList();
            Assert.True(unused.Count == 0, "no code names " + string.Join(", ", unused));
        }

        [Fact]
        public void Every_errcode_has_its_meaning_and_advice_in_Chinese()
        {
            foreach (var (code, meaning, advice) in WeComErrorCatalog.All())
            {
                Assert.False(string.IsNullOrWhiteSpace(meaning.Zh), $"{code} meaning");
                Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", meaning.Zh);
                if (advice is { } a)
                {
                    Assert.False(string.IsNullOrWhiteSpace(a.Zh), $"{code} advice");
                    Assert.NotEqual(a.En, a.Zh);
                }
            }
        }

        [Theory]
        [InlineData("zh-CN", true)]
        [InlineData("zh-Hans", true)]
        [InlineData("zh-SG", true)]
        [InlineData("zh-TW", false)]
        [InlineData("en-US", false)]
        [InlineData("de-DE", false)]
        public void Simplified_Chinese_cultures_pick_the_Chinese_text(string culture, bool chinese) =>
            Assert.Equal(chinese, In(culture, () => Msg.Chinese));

        [Fact]
        public void An_error_from_WeCom_keeps_its_id_and_errcode_and_speaks_the_admins_language()
        {
            var zh = In("zh-CN", () => WeComException.FromApi("user/get", 60111, "userid not found"));
            var en = In("en-US", () => WeComException.FromApi("user/get", 60111, "userid not found"));

            Assert.Equal("UserNotFound", zh.ErrorId);
            Assert.Equal(60111, zh.ErrCode);
            Assert.Equal("企业微信错误 60111（userid 不存在），来自 user/get：userid not found", zh.Summary);
            Assert.Contains("帐号", zh.RecommendedAction);
            Assert.Equal("WeCom error 60111 (userid not found) from user/get: userid not found", en.Summary);
        }

        [Fact]
        public void A_validation_error_is_Chinese_under_zh_CN_with_the_same_id()
        {
            var zh = In("zh-CN", () => new WeComUserChange { UserId = "LiSi", Mobile = "138-abc" }.Validate(creating: false))!;
            var en = In("en-US", () => new WeComUserChange { UserId = "LiSi", Mobile = "138-abc" }.Validate(creating: false))!;

            Assert.Equal("InvalidMobile", zh.ErrorId);
            Assert.Equal("InvalidMobile", en.ErrorId);
            Assert.StartsWith("成员“LiSi”：“138-abc”不是有效的手机号", zh.Message);
            Assert.StartsWith("User 'LiSi': '138-abc' is not a mobile number", en.Message);
        }
    }
}

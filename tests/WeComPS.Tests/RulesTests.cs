using System.Text.RegularExpressions;
using Xunit;

namespace WeComPS.Tests
{
    /// <summary>The checks written by hand for start-up's sake answer exactly as the patterns WeCom documents.</summary>
    public class RulesTests
    {
        private static readonly Regex DocumentedUserId = new Regex(@"\A[0-9A-Za-z][0-9A-Za-z_@.-]{0,63}\z", RegexOptions.CultureInvariant);

        [Theory]
        [InlineData("ZhangSan")]
        [InlineData("a")]
        [InlineData("9zhang.san@corp-1_x")]
        [InlineData("")]
        [InlineData("_zhang")]
        [InlineData("-zhang")]
        [InlineData("zhang san")]
        [InlineData("zhang!")]
        [InlineData("张三")]
        [InlineData("zhangé")]
        [InlineData("zhang\n")]
        public void UserIdAnswersAsThePattern(string userId)
        {
            Assert.Equal(DocumentedUserId.IsMatch(userId), Rules.UserId(userId) is null);
        }

        [Fact]
        public void UserIdIsAtMost64Characters()
        {
            Assert.Null(Rules.UserId(new string('a', 64)));
            Assert.NotNull(Rules.UserId(new string('a', 65)));
            Assert.NotNull(Rules.UserId(null));
        }

        [Theory]
        [InlineData("gettoken", true)]
        [InlineData("user/get", true)]
        [InlineData("USER/GET", true)]
        [InlineData("department/simplelist", true)]
        [InlineData("user/list_id", true)]
        [InlineData("batch/getresult", true)]
        [InlineData("export/get_result", true)]
        [InlineData("user/get_userid_by_email", true)]
        [InlineData("user/convert_to_openid", true)]
        [InlineData("user/create", false)]
        [InlineData("user/forget", false)]
        [InlineData("user/get/", false)]
        [InlineData("user/getx", false)]
        [InlineData("", false)]
        public void ReadsAreKnownByTheirLastSegment(string path, bool isRead)
        {
            Assert.Equal(isRead, Deliveries.IsRead(path));
        }
    }
}

using System.Linq;
using System.Threading.Tasks;

namespace WeComPS.Tests
{
    public class MessageTests
    {
        [Fact]
        public async Task A_short_secret_is_hidden_in_queries_without_garbling_other_text()
        {
            await using var corp = await TestCorp.StartAsync();
            var client = corp.Connect(secret: "qq").Client;

            var shown = client.Redact("GET https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=qq failed");

            Assert.Equal("GET https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=*** failed", shown);
        }

        [Fact]
        public async Task A_long_secret_is_hidden_wherever_it_appears()
        {
            await using var corp = await TestCorp.StartAsync();
            var client = corp.Connect(secret: "s3cr3t-value-of-43-chars").Client;

            Assert.Equal("echo *** back", client.Redact("echo s3cr3t-value-of-43-chars back"));
        }

        [Fact]
        public async Task Removing_an_unknown_member_does_not_send_the_admin_back_to_the_same_look_up()
        {
            await using var corp = await TestCorp.StartAsync();

            var results = await corp.Connect().Users.DeleteAsync(new[] { "nobody.here" }).ToListAsync();

            var error = Assert.Single(results).Error!;
            Assert.Equal("UserNotFound", error.ErrorId);
            Assert.DoesNotContain("with Get-WeComUser.", error.RecommendedAction);
            Assert.Contains("account", error.RecommendedAction);
        }

        [Fact]
        public void The_summary_says_each_thing_once()
        {
            var error = WeComException.FromApi("user/get", 60111, "userid not found, hint: [1700000000_0_abc], from ip: 203.0.113.7, more info at https://open.work.weixin.qq.com/devtool/query?e=60111");

            Assert.Equal("WeCom error 60111 (userid not found) from user/get: userid not found", error.Summary);
            Assert.Equal("1700000000_0_abc", error.Hint);
            Assert.Contains("from ip: 203.0.113.7", error.ErrMsg);
            Assert.DoesNotContain("Get-WeComUser.", error.RecommendedAction);
            Assert.Equal("User 'x': WeCom error 60111 (userid not found) from user/get: userid not found", error.About("User 'x'").Summary);
        }
    }
}

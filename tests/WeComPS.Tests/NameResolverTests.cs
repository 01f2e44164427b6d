using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    public class NameResolverTests
    {
        [Fact]
        public async Task Departments_resolve_by_id_unique_name_and_full_path_with_one_read()
        {
            await using var corp = await TestCorp.StartAsync();
            var names = new NameResolver(corp.Connect());

            var ids = await names.DepartmentIdsAsync(new[] { "5", "邮箱后台组", "/广州研发中心/测试部", " 测试部 ", "/广州研发中心/邮箱产品部/邮箱前端组/" }, CancellationToken.None);
            await names.DepartmentIdsAsync(new[] { "支付组" }, CancellationToken.None);

            Assert.Equal(new[] { 5, 5, 10, 10, 6 }, ids);
            Assert.Equal(1, corp.Sandbox.CallCount("department/list"));
        }

        [Fact]
        public async Task Ids_need_no_read()
        {
            await using var corp = await TestCorp.StartAsync();
            var names = new NameResolver(corp.Connect());

            Assert.Equal(new[] { 99, 2 }, await names.DepartmentIdsAsync(new[] { "99", "2" }, CancellationToken.None));
            Assert.Equal(new[] { 3 }, await names.TagIdsAsync(new[] { "3" }, CancellationToken.None));
            Assert.Equal(0, corp.Sandbox.CallCount("department/list") + corp.Sandbox.CallCount("tag/list"));
        }

        [Fact]
        public void An_unknown_or_ambiguous_department_is_an_error_naming_it()
        {
            var tree = DepartmentOperations.Arrange(new[]
            {
                new WeComDepartment { Id = 1, Name = "总部", ParentId = 0 },
                new WeComDepartment { Id = 2, Name = "测试部", ParentId = 1 },
                new WeComDepartment { Id = 3, Name = "华南", ParentId = 1 },
                new WeComDepartment { Id = 4, Name = "测试部", ParentId = 3 },
            });

            var unknown = Assert.Throws<WeComException>(() => NameResolver.FindDepartment(tree, "销售部"));
            var ambiguous = Assert.Throws<WeComException>(() => NameResolver.FindDepartment(tree, "测试部"));

            Assert.Equal("DepartmentNotFound", unknown.ErrorId);
            Assert.Contains("'销售部'", unknown.Message);
            Assert.Equal("AmbiguousDepartmentName", ambiguous.ErrorId);
            Assert.Contains("2 /总部/测试部", ambiguous.Message);
            Assert.Contains("4 /总部/华南/测试部", ambiguous.Message);
            Assert.Equal(4, NameResolver.FindDepartment(tree, "/总部/华南/测试部"));
            Assert.Throws<WeComException>(() => NameResolver.FindDepartment(tree, "/测试部"));
        }

        [Fact]
        public async Task Tags_resolve_by_name_and_an_unknown_one_is_named()
        {
            await using var corp = await TestCorp.StartAsync();
            var names = new NameResolver(corp.Connect());

            Assert.Equal(new[] { 3, 1 }, await names.TagIdsAsync(new[] { "值班", "技术委员会" }, CancellationToken.None));
            var unknown = await Assert.ThrowsAsync<WeComException>(() => names.TagIdsAsync(new[] { "无此标签" }, CancellationToken.None));
            Assert.Equal("TagNotFound", unknown.ErrorId);
            Assert.Contains("'无此标签'", unknown.Message);
        }

        [Fact]
        public async Task Unknown_department_ids_are_found_from_the_light_tree()
        {
            await using var corp = await TestCorp.StartAsync();
            var names = new NameResolver(corp.Connect());

            Assert.Equal(new[] { 99 }, await names.UnknownDepartmentsAsync(new[] { 5, 99, 10 }, CancellationToken.None));
            Assert.Equal("4 企业微信产品部", await names.DepartmentLabelAsync(4, CancellationToken.None));
        }

        [Fact]
        public async Task Clear_empties_the_named_text_fields_and_nothing_else()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = corp.Connect().Users;
            var change = new WeComUserChange { UserId = "LiSi", Clear = new[] { "Position", "telephone" } };

            Assert.Equal("LiSi: position cleared, telephone cleared", change.Describe());
            await users.UpdateAsync(new[] { change }).ValuesAsync();
            var lisi = (await users.GetAsync(new[] { "LiSi" }).ValuesAsync()).Single();

            Assert.True(string.IsNullOrEmpty(lisi.Position));
            Assert.True(string.IsNullOrEmpty(lisi.Telephone));
            Assert.Equal("广州市海珠区新港中路", lisi.Address);
            var both = new WeComUserChange { UserId = "LiSi", Position = "总监", Clear = new[] { "Position" } }.Validate(creating: false);
            Assert.Contains("both given and cleared", both!.Message);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace WeComPS.Tests
{
    /// <summary>The CSV WeComPS uploads and the decryption of export files, checked against literal expectations and an independent vector.</summary>
    public class ImportTemplateAndCryptoTests
    {
        [Fact]
        public void Member_csv_has_the_template_columns_in_order_only_those_given_and_quotes_per_rfc_4180()
        {
            var csv = WeComImportTemplate.WriteUsers(new[]
            {
                new WeComUserChange { UserId = "zhang.san", Name = "张三", Mobile = "13800000001", Department = new[] { 2, 5 }, Order = new long[] { 10, 20 }, IsLeaderInDept = new[] { true, false }, Gender = WeComGender.Male, Enable = false },
                new WeComUserChange { UserId = "li.si", Name = "李, \"四\"", Email = "li.si@example.com", Position = "第一行\n第二行", Gender = WeComGender.Female },
            });

            Assert.Equal(
                "姓名,帐号,手机号,邮箱,所在部门,职位,性别,是否部门内领导,排序,禁用\r\n" +
                "张三,zhang.san,13800000001,,2;5,,男,1;0,10;20,1\r\n" +
                "\"李, \"\"四\"\"\",li.si,,li.si@example.com,,\"第一行\n第二行\",女,,,\r\n",
                csv);
        }

        [Fact]
        public void Member_csv_always_has_the_userid_and_one_column_per_extended_attribute()
        {
            var csv = WeComImportTemplate.WriteUsers(new[]
            {
                new WeComUserChange { UserId = "a", ExtAttr = new Dictionary<string, string> { ["工号"] = "E1" } },
                new WeComUserChange { UserId = "b", Enable = true, ExtAttr = new Dictionary<string, string> { ["爱好"] = "跑步,游泳" } },
            });

            Assert.Equal("帐号,禁用,工号,爱好\r\na,,E1,\r\nb,0,,\"跑步,游泳\"\r\n", csv);
        }

        [Fact]
        public void Department_csv_puts_parents_before_children_and_leaves_a_missing_order_blank()
        {
            var csv = WeComImportTemplate.WriteDepartments(new[]
            {
                new WeComDepartmentChange { Id = 21, Name = "华南,二组", ParentId = 20 },
                new WeComDepartmentChange { Id = 20, Name = "华南大区", ParentId = 1, Order = 300 },
                new WeComDepartmentChange { Id = 1, Name = "总部", ParentId = 0 },
            });

            Assert.Equal("部门名称,部门ID,父部门ID,排序\r\n总部,1,0,\r\n华南大区,20,1,300\r\n\"华南,二组\",21,20,\r\n", csv);
        }

        [Theory]
        [InlineData(null, "x", 1, "department id")]
        [InlineData(5, "a:b", 1, "must not contain")]
        [InlineData(5, "组", null, "parent id")]
        [InlineData(5, "组", 0, "not a parent department id")]
        [InlineData(5, "组", 5, "own parent")]
        public void A_department_row_needs_an_id_a_valid_name_and_a_parent(int? id, string name, int? parent, string reason)
        {
            var error = WeComImportTemplate.CheckDepartment(new WeComDepartmentChange { Id = id, Name = name, ParentId = parent });
            Assert.Contains(reason, error!.Message);
            Assert.Null(WeComImportTemplate.CheckDepartment(new WeComDepartmentChange { Id = 1, Name = "总部", ParentId = 0 }));
        }

        [Fact]
        public void Member_fields_the_template_lacks_are_refused()
        {
            var error = WeComImportTemplate.CheckUser(new WeComUserChange { UserId = "a", BizMail = "a@corp.example.com", DirectLeader = new[] { "b" } });
            Assert.Contains("no column for BizMail, DirectLeader", error!.Message);
            Assert.Contains("name of a template column", WeComImportTemplate.CheckUser(new WeComUserChange { UserId = "a", ExtAttr = new Dictionary<string, string> { ["职位"] = "x" } })!.Message);
        }

        [Fact]
        public void Decrypts_a_file_encrypted_independently_with_padding_to_32_bytes()
        {
            // openssl enc -aes-256-cbc -nopad, key 00..1f, IV 00..0f, the JSON padded by hand with 14 bytes of 0x0e.
            const string key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
            var cipher = Convert.FromBase64String("gzJiJhiY7I6KvdTsR1SS3X/t7Bbs4devWZe/53V4e1e7tcS+5JN6TT6nO9q0Dhwc0lVjI7yNSjqJNm+AA2zn0g==");

            var plain = WeComExportCrypto.Decrypt(cipher, key);

            Assert.Equal("{\"department\":[{\"id\":2,\"name\":\"邮箱产品部\"}]}", Encoding.UTF8.GetString(plain));
        }

        [Fact]
        public void A_new_key_is_43_characters_of_32_random_bytes()
        {
            var key = WeComExportCrypto.NewKey();
            Assert.Equal(43, key.Length);
            Assert.Equal(32, WeComExportCrypto.KeyOf(key).Length);
            Assert.NotEqual(key, WeComExportCrypto.NewKey());
            Assert.Equal("InvalidExportKey", Assert.Throws<WeComException>(() => WeComExportCrypto.KeyOf(key + "A")).ErrorId);
        }

        [Fact]
        public void A_wrong_key_or_damaged_file_is_reported_not_returned_as_garbage()
        {
            var key = WeComExportCrypto.NewKey();
            var keyBytes = WeComExportCrypto.KeyOf(key);
            // Any PKCS#7 pad of 1 to 32 bytes is valid, here 16; a wrong key leaves a random last byte.
            var padded16 = Encoding.UTF8.GetBytes("{\"userlist\":[]}!").Concat(Enumerable.Repeat((byte)16, 16)).ToArray();
            using var aes = Aes.Create();
            aes.Key = keyBytes;
            aes.IV = keyBytes.Take(16).ToArray();
            aes.Padding = PaddingMode.None;
            var cipher = aes.CreateEncryptor().TransformFinalBlock(padded16, 0, padded16.Length);

            Assert.Equal("{\"userlist\":[]}!", Encoding.UTF8.GetString(WeComExportCrypto.Decrypt(cipher, key)));
            Assert.Equal("ExportFileUnreadable", Assert.Throws<WeComException>(() => WeComExportCrypto.Decrypt(cipher, WeComExportCrypto.NewKey())).ErrorId);
            Assert.Equal("ExportFileUnreadable", Assert.Throws<WeComException>(() => WeComExportCrypto.Decrypt(cipher.Take(31).ToArray(), key)).ErrorId);
        }
    }
}
